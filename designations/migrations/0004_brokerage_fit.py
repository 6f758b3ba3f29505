"""Data for brokerage: NLEs support priority schools only, NLGs support governance, and a
"School leadership" need."""

from django.db import migrations


def forwards(apps, schema_editor):
    DesignationType = apps.get_model("designations", "DesignationType")
    Specialism = apps.get_model("designations", "Specialism")
    Specialism.objects.get_or_create(slug="school-leadership", defaults={"name": "School leadership"})
    DesignationType.objects.filter(code="NLE").update(requires_priority_reason=True)
    governance = Specialism.objects.filter(slug="governance").first()
    nlg = DesignationType.objects.filter(code="NLG").first()
    if governance and nlg:
        nlg.fits_needs.add(governance)


def backwards(apps, schema_editor):
    apps.get_model("designations", "Specialism").objects.filter(slug="school-leadership").delete()


class Migration(migrations.Migration):
    dependencies = [("designations", "0003_designation_offers_professional_partnership_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
