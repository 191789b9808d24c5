from django.urls import path

from .views import discussions, journal, peers, support

app_name = "coaching"

# Mounted at /coaching/ (config/urls.py): every page of the app under one prefix. The addresses it had before
# (/journal/, /peer-groups/, /discussions/) are sent here by coaching/moved_urls.py.

urlpatterns = [
    # Coaching and support
    path("", support.dashboard, name="dashboard"),
    path("cohorts/<slug:slug>/", support.cohort_overview, name="cohort"),
    path("programmes/<slug:slug>/policy/", support.policy_edit, name="policy"),
    path("assignments/<uuid:public_id>/", support.coachee, name="coachee"),
    path("assignments/<uuid:public_id>/edit/", support.assignment_edit, name="assignment_edit"),
    path("assignments/<uuid:public_id>/contacts/new/", support.contact_log, name="contact_log"),
    path("assignments/<uuid:public_id>/actions/new/", support.action_add, name="action_add"),
    path("actions/<uuid:public_id>/status/", support.action_status, name="action_status"),
    # Comments on projects and PDSA cycles
    path("comments/projects/<uuid:public_id>/", discussions.comment_add, name="comment_add"),
    path("comments/<uuid:public_id>/delete/", discussions.comment_delete, name="comment_delete"),
    # Reflective journal
    path("journal/", journal.journal_index, name="journal"),
    path("journal/new/", journal.journal_new, name="journal_new"),
    path("journal/export/", journal.journal_export, name="journal_export"),
    path("journal/<uuid:public_id>/", journal.journal_entry, name="journal_entry"),
    path("journal/<uuid:public_id>/edit/", journal.journal_edit, name="journal_edit"),
    path("journal/<uuid:public_id>/delete/", journal.journal_delete, name="journal_delete"),
    # Peer groups
    path("peer-groups/", peers.peer_group_list, name="peer_groups"),
    path("peer-groups/cohorts/<slug:slug>/new/", peers.peer_group_create, name="peer_group_new"),
    path("peer-groups/<uuid:public_id>/", peers.peer_group_detail, name="peer_group"),
    path("peer-groups/<uuid:public_id>/meetings/new/", peers.meeting_log, name="meeting_log"),
    # Discussions
    path("discussions/", discussions.board_list, name="boards"),
    path("discussions/cohorts/<slug:slug>/", discussions.cohort_board, name="cohort_board"),
    path("discussions/programmes/<slug:slug>/", discussions.programme_board, name="programme_board"),
    path("discussions/threads/<uuid:public_id>/", discussions.thread_detail, name="thread"),
    path("discussions/posts/<uuid:public_id>/edit/", discussions.post_edit, name="post_edit"),
    path("discussions/posts/<uuid:public_id>/delete/", discussions.post_delete, name="post_delete"),
    path("discussions/posts/<uuid:public_id>/hide/", discussions.post_hide, name="post_hide"),
]
