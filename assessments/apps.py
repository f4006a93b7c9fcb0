from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and content"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .content import content_changed
        from .models import Choice, Competency, CompetencyArea, Expectation, Level, Question, Quiz, Resource

        # The cached content (assessments.content, and the planner's matrix with its resources and
        # prerequisites held with it: roadmap.compute.planner_matrix) is reloaded after any change.
        for model in (Level, CompetencyArea, Competency, Expectation, Quiz, Question, Choice, Resource):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"content-changed-save-{model.__name__}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-changed-delete-{model.__name__}")
        m2m_changed.connect(
            content_changed, sender=Competency.prerequisites.through, dispatch_uid="content-changed-prerequisites"
        )
