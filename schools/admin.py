from django.contrib import admin

from .models import (
    Diocese,
    EstablishmentLink,
    ImportRun,
    Inspection,
    Judgement,
    LocalAuthority,
    OutwardCode,
    School,
    Trust,
)

admin.site.register(
    [Diocese, EstablishmentLink, ImportRun, Inspection, Judgement, LocalAuthority, OutwardCode,
     School, Trust]
)
