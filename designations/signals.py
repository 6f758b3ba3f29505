"""Re-judge undecided applications when the facts they were judged on change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from schools.models import Inspection, Judgement, School
from schools.signals import schools_imported

from .models import LeadershipPost
from .services.eligibility import (
    reevaluate_undecided_for_person,
    reevaluate_undecided_for_school,
    reevaluate_undecided_for_schools,
)


@receiver([post_save, post_delete], sender=LeadershipPost, dispatch_uid="designations.post_changed")
def post_changed(sender, instance: LeadershipPost, raw: bool = False, **kwargs) -> None:
    if not raw:
        reevaluate_undecided_for_person(instance.person_id)


@receiver(post_save, sender=School, dispatch_uid="designations.school_changed")
def school_changed(sender, instance: School, raw: bool = False, **kwargs) -> None:
    if not raw:
        reevaluate_undecided_for_school(instance.pk)


@receiver([post_save, post_delete], sender=Inspection, dispatch_uid="designations.inspection_changed")
def inspection_changed(sender, instance: Inspection, raw: bool = False, **kwargs) -> None:
    if not raw:
        reevaluate_undecided_for_school(instance.school_id)


@receiver([post_save, post_delete], sender=Judgement, dispatch_uid="designations.judgement_changed")
def judgement_changed(sender, instance: Judgement, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    school_id = (
        Inspection.objects.filter(pk=instance.inspection_id).values_list("school_id", flat=True).first()
    )
    if school_id is not None:
        reevaluate_undecided_for_school(school_id)


@receiver(schools_imported, dispatch_uid="designations.schools_imported")
def schools_imported_changed(sender, urns: list[int], **kwargs) -> None:
    """Importers write in bulk (no model signals): re-judge applications of the schools touched."""
    reevaluate_undecided_for_schools(urns)
