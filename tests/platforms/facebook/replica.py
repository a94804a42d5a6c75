"""Facebook's right-to-object forms (shared/platforms/meta.md), never easier than the real site.
The server, pages and texts are shared with Instagram (tests/platforms/meta/); see README.md here."""

from __future__ import annotations

from tests.platforms.meta.core import MetaReplica, Variants
from tests.platforms.meta.pages import Brand

FORM_2025 = "/help/contact/6359191084165019"  # meta.md: the Facebook form (2025)
FORM_2024_FR = "/help/contact/712876720715583"  # meta.md: the 2024 French form (fr-fr.facebook.com)
THIRD_PARTY = "/help/contact/510058597920541"  # meta.md: a different form, never the opt-out

FACEBOOK = Brand(
    key="facebook", name="Facebook",
    login_path="/login/",  # meta.md, general knowledge (unsure)
    login_post="/login/device-based/regular/login/",
    two_factor_path="/checkpoint/",
    logout_path="/logout.php",
    settings_path="/settings/",
    session_cookie="xs", user_cookie="c_user", next_absolute=True,
    forms={FORM_2025: ("objection", "en"), FORM_2024_FR: ("objection", "fr"), THIRD_PARTY: ("third_party", "en")},
    contact_prefix="/help/contact/",
)


class FacebookReplica(MetaReplica):
    brand = FACEBOOK


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = FacebookReplica

__all__ = ["FACEBOOK", "FORM_2024_FR", "FORM_2025", "THIRD_PARTY", "FacebookReplica", "Replica", "Variants"]
