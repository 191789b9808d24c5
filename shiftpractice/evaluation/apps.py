from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "shiftpractice.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation: plan, surveys and results"
