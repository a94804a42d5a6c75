"""Instagram's right-to-object form (shared/platforms/meta.md), never easier than the real site.
The server, pages and texts are shared with Facebook (tests/platforms/meta/); see README.md here."""

from __future__ import annotations

from tests.platforms.meta.core import MetaReplica, Variants
from tests.platforms.meta.pages import Brand

FORM = "/contact/767264225370182"  # meta.md: help.instagram.com/contact/767264225370182

INSTAGRAM = Brand(
    key="instagram", name="Instagram",
    login_path="/accounts/login/",  # meta.md, general knowledge (unsure): www.instagram.com/accounts/login/
    login_post="/accounts/login/ajax/",
    two_factor_path="/accounts/login/two_factor/",
    logout_path="/accounts/logout/",
    settings_path="/accounts/edit/",
    session_cookie="sessionid", user_cookie="ds_user_id", next_absolute=False,
    forms={FORM: ("objection", "en")},
    contact_prefix="/contact/",
)


class InstagramReplica(MetaReplica):
    brand = INSTAGRAM


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = InstagramReplica

__all__ = ["FORM", "INSTAGRAM", "InstagramReplica", "Replica", "Variants"]
