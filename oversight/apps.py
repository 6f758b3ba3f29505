from django.apps import AppConfig


class OversightConfig(AppConfig):
    """A local authority's oversight of the support in its area: the dashboard's figures and the
    deployments CSV.

    The dashboard reads both support requests (brokerage) and the deployments made from them, so it
    sits above both rather than in either: brokerage must not know deployments, and deployments is
    about carrying out one deployment, not about an authority's view across all of them. Only the
    top apps (worklist, navigation) and config may import it."""

    name = "oversight"
    verbose_name = "Local authority oversight"
