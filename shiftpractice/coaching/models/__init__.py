"""Coaching, reflection and peer support between workshops."""

from .discussions import Board, Comment, Post, Thread
from .journal import JournalEntry
from .peers import MeetingRole, PeerGroup, PeerGroupMember, PeerMeeting
from .support import Action, CoachAssignment, CoachingPolicy, CoachNote, SupportContact

__all__ = [
    "Action",
    "Board",
    "CoachAssignment",
    "CoachNote",
    "CoachingPolicy",
    "Comment",
    "JournalEntry",
    "MeetingRole",
    "PeerGroup",
    "PeerGroupMember",
    "PeerMeeting",
    "Post",
    "SupportContact",
    "Thread",
]
