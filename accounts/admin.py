from django.contrib import admin

from .models import ApiToken, Membership, Organisation, User

admin.site.register([User, Organisation, Membership, ApiToken])
