from django import template
from django.utils.html import format_html

from ..services import FIELD_NAME, new_token

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    """A hidden field with a new one-time token: a second post of this form is not acted on again."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, new_token())
