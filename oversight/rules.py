"""Who may open the local authority dashboard: an LA officer (for their own authorities) or a
national administrator (for any). Loaded by rules' autodiscovery, like every app's rules.py."""

import rules

from accounts.rules import is_la_officer, is_national_administrator

rules.add_perm("oversight.view_dashboard", is_la_officer | is_national_administrator)
