from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and content"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .content import content_changed
        from .models import Choice, Competency, CompetencyArea, Expectation, Level, Question, Quiz

        # The cached content (assessments.content) is reloaded after any change to what it holds.
        for model in (Level, CompetencyArea, Competency, Expectation, Quiz, Question, Choice):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"content-changed-save-{model.__name__}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-changed-delete-{model.__name__}")
