"""A list page narrowed by the filters its API shares, over what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet


class FilteredListMixin:
    """A list narrowed by ``filterset_class`` (the same FilterSet as the API) over what the user
    may see, with the filter form and whether any filter is applied, for the page."""

    filterset_class: type

    def visible_queryset(self) -> QuerySet:
        """What this user may see; nothing unless a view says otherwise."""
        return self.filterset_class._meta.model._default_manager.none()

    def prepare_filter_form(self, form, visible: QuerySet) -> None:
        """Adjust the form for this user (e.g. hide a filter that cannot narrow their list)."""

    def get_queryset(self) -> QuerySet:
        visible = self.visible_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=visible, request=self.request
        )
        self.prepare_filter_form(self.filterset.form, visible)
        return self.filterset.qs

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["form"] = self.filterset.form
        context["is_filtered"] = any(
            value for name, value in self.request.GET.lists() if name != "page" and any(value)
        )
        return context
