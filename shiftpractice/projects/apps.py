from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "shiftpractice.projects"
    label = "projects"
    verbose_name = "Change projects and PDSA cycles"
