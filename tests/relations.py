"""Every key to a user's records, for the tests that keep the export and the account deletion complete."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Field


def relations_to_user() -> dict[str, Field]:
    """'app.Model.field' -> the key, for each key to the user model, or to a model that has one
    (an attempt's responses, a response's chosen choices, a roadmap's steps), whatever the app."""
    owned, found = {get_user_model()}, {}
    while True:
        more = {
            f"{model._meta.label}.{field.name}": field
            for model in apps.get_models(include_auto_created=True)
            for field in model._meta.get_fields()
            if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model in owned
        }
        if more.keys() <= found.keys():
            return found
        found |= more
        owned |= {field.model for field in more.values()}
