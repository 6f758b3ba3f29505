from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from .queries import schools_visible_to


class SchoolListView(LoginRequiredMixin, ListView):
    template_name = "schools/school_list.html"
    paginate_by = 25

    def get_queryset(self):
        return schools_visible_to(self.request.user)
