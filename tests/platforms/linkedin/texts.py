"""Texts and the settings catalogue of the LinkedIn replica.

Texts marked "linkedin.md" are copied from shared/platforms/linkedin.md and must stay exact. The
rest are plausible LinkedIn wording; French ones are translations where linkedin.md gives none, so a
flow keyed on English text fails here as it would on the real French site.
"""

from __future__ import annotations

from dataclasses import dataclass

GENAI = "data-for-ai-improvement"  # linkedin.md: the deep link's last segment
# Variant `deep_link_moved` (a newer release, invented): the GenAI setting's page lives here instead.
GENAI_MOVED = "data-for-generative-ai-improvement"
# Variant `category_moved` (a newer release, invented): every category under a new slug; the old
# slugs (linkedin.md's) answer 404.
MOVED_CATEGORIES: dict[str, str] = {
    "account": "account-preferences",
    "sign-in-and-security": "sign-in-security",
    "profile-visibility": "visibility",
    "privacy": "data-privacy",
    "ads": "advertising-data",
    "notifications": "notification-preferences",
}

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # sign-in
        "login_title": "LinkedIn Login, Sign in | LinkedIn",
        "sign_in": "Sign in",  # linkedin.md: aria-label of the submit button
        "sign_in_sub": "Stay updated on your professional world",
        "email_or_phone": "Email or phone",
        "password": "Password",
        "show": "Show",
        "hide": "Hide",
        "show_aria": "Show your LinkedIn password",
        "forgot": "Forgot password?",
        "new_to": "New to LinkedIn?",
        "join": "Join now",
        "err_no_user": "Please enter an email address or phone number",
        "err_no_pw": "Please enter a password",
        "err_unknown": "Couldn't find a LinkedIn account associated with this email. Please try again.",
        "err_password": "That's not the right password. Try again or reset your password.",
        "err_generic": "Something went wrong. Please try again.",
        "remember_title": "Remember me on this browser?",
        "remember_body": "Save your login info on this browser so you can sign in with one click next time.",
        "remember_yes": "Remember",
        "remember_no": "Not now",
        "security_title": "Security Verification | LinkedIn",
        "two_step_title": "Two-step verification",
        "sms_body": "Enter the 6-digit code we sent to your phone number ending in {last}.",
        "auth_app_body": "Enter the 6-digit code from your authenticator app.",
        "enter_code": "Enter code",
        "recognized": "Don't ask again on this browser",
        "submit": "Submit",
        "wrong_pin": "The verification code you entered isn't valid. Please check the code and try again.",
        "email_title": "Let's do a quick verification",
        "email_body": ("The login attempt seems suspicious. To finish signing in please enter the "
                       "verification code we sent to your email address."),
        "app_title": "Check your LinkedIn app",  # linkedin.md
        "app_body": ("We sent a notification to your signed in devices. Open your LinkedIn app and tap "
                     "Yes to confirm your sign-in attempt."),
        "app_waiting": "Waiting for your approval…",
        "captcha_title": "Let's do a quick security check",  # linkedin.md
        "captcha_body": "Protecting your account is our top priority. Please complete the security check.",
        "captcha_frame_title": "Security check",
        "captcha_task": "Use the arrows to turn the picture until the arrow points up.",
        "captcha_left": "Rotate left",
        "captcha_right": "Rotate right",
        "captcha_wrong": "That wasn't quite right. Please try again.",
        # global nav
        "feed_title": "Feed | LinkedIn",
        "home": "Home",
        "network": "My Network",
        "jobs": "Jobs",
        "messaging": "Messaging",
        "notifications": "Notifications",
        "me": "Me",  # linkedin.md
        "view_profile": "View Profile",
        "account": "Account",
        "settings_privacy": "Settings & Privacy",  # linkedin.md
        "help": "Help",
        "language": "Language",
        "manage": "Manage",
        "posts_activity": "Posts & Activity",
        "sign_out": "Sign Out",
        "start_post": "Start a post",
        # settings
        "settings_title": "Settings | LinkedIn",
        "settings": "Settings",
        "back": "Back",
        "on": "On",  # linkedin.md
        "off": "Off",  # linkedin.md
        "save_error": "Something went wrong. Please try again later.",
        "dismiss": "Dismiss",
        "genai_heading": "Data for Generative AI Improvement",  # linkedin.md
        "genai_question": ("Can LinkedIn use your personal data and content you create on LinkedIn to train "
                           "generative AI models that create content?"),  # linkedin.md
        "genai_label": "Use my data for training content creation AI models",  # linkedin.md
        "genai_help": ("When this setting is on, LinkedIn can use your data and content to train "
                       "content-generating AI models that are used in product features. The data we use "
                       "for this purpose does not include your private messages."),  # linkedin.md
        "learn_more": "Learn more",  # linkedin.md
        "generic_setting_body": "Choose how LinkedIn handles this part of your data.",
        # errors
        "unavailable_title": "LinkedIn is temporarily unavailable",
        "unavailable_body": "We're working to restore this page as quickly as possible. Please try again soon.",
        "not_found_title": "This page doesn’t exist",
        "not_found_body": "Please check your URL or return to LinkedIn home.",
        "go_to_feed": "Go to your feed",
        # guest pages
        "guest_title": "LinkedIn: Log In or Sign Up",
        "guest_heading": "Welcome to your professional community",
        "authwall_heading": "Sign in to see more",
        # variant genai_row="renamed": a newer release's name for the GenAI row and its page (invented)
        "genai_renamed": "AI-powered content features",
        # help centre: the Data Processing Objection Form (its labels are not sourced: plausible wording)
        "help_title": "LinkedIn Help",
        "dpro_title": "Data Processing Objection Form",
        "dpro_intro": ("Use this form to object to, or ask us to restrict, the processing of your personal data "
                       "by LinkedIn, including its use to train AI models that do not generate content (for "
                       "example personalisation and security models)."),
        "dpro_genai_hint": "To stop the use of your data for generative AI, use the setting",
        "dpro_name": "Full name",
        "dpro_email": "Email address",
        "dpro_type": "Type of objection",
        "dpro_pick": "Select an option",
        "dpro_details": "Details of your request",
        "dpro_submit": "Submit",
        "dpro_err_name": "Enter your full name.",
        "dpro_err_email": "Enter a valid email address.",
        "dpro_err_type": "Select a type of objection.",
        "dpro_err_details": "Tell us more about your request.",
        "dpro_err_session": "Your session has expired. Please submit the form again.",
        "dpro_err_summary": "Please correct the highlighted fields.",
        "dpro_done_title": "Thanks for contacting us",
        "dpro_done_case": "We've received your request. Your case number is",
        "dpro_done_mail": "We'll send a confirmation to {email} and get back to you by email.",
        "dpro_back": "Back to LinkedIn Help",
        "dpro_fail_title": "Something went wrong",
        "dpro_fail_body": "We couldn't load this page. Please try again later.",
    },
    "fr": {
        "login_title": "S'identifier sur LinkedIn | LinkedIn",
        "sign_in": "S'identifier",
        "sign_in_sub": "Restez informé de votre univers professionnel",
        "email_or_phone": "E-mail ou téléphone",
        "password": "Mot de passe",
        "show": "Afficher",
        "hide": "Masquer",
        "show_aria": "Afficher votre mot de passe LinkedIn",
        "forgot": "Mot de passe oublié ?",
        "new_to": "Nouveau sur LinkedIn ?",
        "join": "S'inscrire",
        "err_no_user": "Veuillez saisir une adresse e-mail ou un numéro de téléphone",
        "err_no_pw": "Veuillez saisir un mot de passe",
        "err_unknown": "Aucun compte LinkedIn n'est associé à cette adresse e-mail. Veuillez réessayer.",
        "err_password": "Ce n'est pas le bon mot de passe. Réessayez ou réinitialisez votre mot de passe.",
        "err_generic": "Une erreur s'est produite. Veuillez réessayer.",
        "remember_title": "Se souvenir de moi sur ce navigateur ?",
        "remember_body": ("Enregistrez vos informations de connexion sur ce navigateur pour vous connecter "
                          "en un clic la prochaine fois."),
        "remember_yes": "Mémoriser",
        "remember_no": "Pas maintenant",
        "security_title": "Vérification de sécurité | LinkedIn",
        "two_step_title": "Vérification en deux étapes",
        "sms_body": ("Saisissez le code à 6 chiffres que nous avons envoyé au numéro de téléphone se "
                     "terminant par {last}."),
        "auth_app_body": "Saisissez le code à 6 chiffres de votre application d'authentification.",
        "enter_code": "Saisir le code",
        "recognized": "Ne plus demander sur ce navigateur",
        "submit": "Envoyer",
        "wrong_pin": "Le code de vérification saisi n'est pas valide. Vérifiez-le et réessayez.",
        "email_title": "Vérification rapide",
        "email_body": ("La tentative de connexion semble suspecte. Pour terminer la connexion, veuillez "
                       "saisir le code de vérification envoyé à votre adresse e-mail."),
        "app_title": "Vérifiez votre application LinkedIn",
        "app_body": ("Nous avons envoyé une notification à vos appareils connectés. Ouvrez l'application "
                     "LinkedIn et appuyez sur Oui pour confirmer votre tentative de connexion."),
        "app_waiting": "En attente de votre approbation…",
        "captcha_title": "Procédons à une rapide vérification de sécurité",
        "captcha_body": "La protection de votre compte est notre priorité. Veuillez effectuer la vérification.",
        "captcha_frame_title": "Vérification de sécurité",
        "captcha_task": "Utilisez les flèches pour tourner l'image jusqu'à ce que la flèche pointe vers le haut.",
        "captcha_left": "Tourner à gauche",
        "captcha_right": "Tourner à droite",
        "captcha_wrong": "Ce n'est pas tout à fait ça. Veuillez réessayer.",
        "feed_title": "Fil d'actualité | LinkedIn",
        "home": "Accueil",
        "network": "Réseau",
        "jobs": "Emplois",
        "messaging": "Messagerie",
        "notifications": "Notifications",
        "me": "Moi",  # linkedin.md
        "view_profile": "Voir le profil",
        "account": "Compte",
        "settings_privacy": "Préférences et confidentialité",  # linkedin.md
        "settings_privacy@older": "Paramètres et confidentialité",  # linkedin.md ("some guides")
        "help": "Aide",
        "language": "Langue",
        "manage": "Gérer",
        "posts_activity": "Posts et activité",
        "sign_out": "Déconnexion",
        "start_post": "Commencer un post",
        "settings_title": "Préférences | LinkedIn",
        "settings": "Préférences",
        "back": "Retour",
        "on": "Oui",
        "off": "Non",
        "save_error": "Une erreur s'est produite. Veuillez réessayer plus tard.",
        "dismiss": "Ignorer",
        "genai_heading": "Données pour l'amélioration de l'IA générative",  # linkedin.md
        "genai_question": ("LinkedIn peut-il utiliser vos données personnelles et le contenu que vous créez "
                           "sur LinkedIn pour entraîner des modèles d'IA générative qui créent du contenu ?"),
        "genai_label": "Utiliser mes données pour entraîner des modèles d'IA de création de contenu",
        "genai_label@older": "Utiliser mes données pour entraîner les modèles d'IA de création de contenu",
        "genai_help": ("Lorsque ce paramètre est activé, LinkedIn peut utiliser vos données et votre contenu "
                       "pour entraîner des modèles d'IA générant du contenu, utilisés dans les "
                       "fonctionnalités du produit. Les données utilisées à cette fin n'incluent pas vos "
                       "messages privés."),
        "learn_more": "En savoir plus",
        "generic_setting_body": "Choisissez comment LinkedIn traite cette partie de vos données.",
        "unavailable_title": "LinkedIn est momentanément indisponible",
        "unavailable_body": "Nous faisons le nécessaire pour rétablir cette page au plus vite. Réessayez bientôt.",
        "not_found_title": "Cette page n’existe pas",
        "not_found_body": "Vérifiez l’URL ou revenez à l’accueil de LinkedIn.",
        "go_to_feed": "Accéder à votre fil",
        "guest_title": "LinkedIn : S'identifier ou s'inscrire",
        "guest_heading": "Bienvenue dans votre communauté professionnelle",
        "authwall_heading": "Identifiez-vous pour voir la suite",
        "genai_renamed": "Fonctionnalités de contenu basées sur l'IA",
        "help_title": "Aide LinkedIn",
        "dpro_title": "Formulaire d'opposition au traitement des données",
        "dpro_intro": ("Utilisez ce formulaire pour vous opposer au traitement de vos données personnelles par "
                       "LinkedIn, ou pour en demander la limitation, y compris leur utilisation pour entraîner "
                       "des modèles d'intelligence artificielle qui ne génèrent pas de contenu (par exemple la "
                       "personnalisation et la sécurité)."),
        "dpro_genai_hint": "Pour que vos données ne servent plus à l'IA générative, utilisez le paramètre",
        "dpro_name": "Nom et prénom",
        "dpro_email": "Adresse e-mail",
        "dpro_type": "Motif de l'opposition",
        "dpro_pick": "Choisissez une option",
        "dpro_details": "Précisions sur votre demande",
        "dpro_submit": "Envoyer",
        "dpro_err_name": "Indiquez vos nom et prénom.",
        "dpro_err_email": "Saisissez une adresse e-mail valide.",
        "dpro_err_type": "Choisissez un motif.",
        "dpro_err_details": "Décrivez votre demande.",
        "dpro_err_session": "Votre session a expiré. Veuillez envoyer le formulaire à nouveau.",
        "dpro_err_summary": "Veuillez corriger les champs signalés.",
        "dpro_done_title": "Merci de nous avoir contactés",
        "dpro_done_case": "Nous avons bien reçu votre demande. Votre numéro de dossier :",
        "dpro_done_mail": "Une confirmation sera envoyée à {email} ; nous vous répondrons par e-mail.",
        "dpro_back": "Retour à l'Aide LinkedIn",
        "dpro_fail_title": "Une erreur s'est produite",
        "dpro_fail_body": "Impossible de charger cette page. Veuillez réessayer plus tard.",
    },
}


def text(lang: str, key: str, older: bool = False) -> str:
    table = TEXTS.get(lang, TEXTS["en"])
    if older and f"{key}@older" in table:
        return table[f"{key}@older"]
    return table.get(key) or TEXTS["en"][key]


@dataclass(frozen=True)
class Row:
    """One row of a settings category page; `default` None = a link without an On/Off value."""

    slug: str
    en: str
    fr: str
    default: bool | None = None

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Section:
    en: str
    fr: str
    rows: tuple[Row, ...]

    def title(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Category:
    slug: str
    en: str
    fr: str
    sections: tuple[Section, ...]

    def title(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


GENAI_ROW = Row(GENAI, "Data for Generative AI Improvement", "Données pour l'amélioration de l'IA générative",
                True)

# Category slugs are from linkedin.md; the Data privacy sections and the rows of "How LinkedIn uses
# your data" too (in that order). Rows elsewhere are plausible fillers, some with On/Off switches of
# their own, so that a flow matching a row loosely lands on the wrong setting.
CATEGORIES: tuple[Category, ...] = (
    Category("account", "Account preferences", "Préférences du compte", (
        Section("Profile information", "Informations du profil", (
            Row("name-location-industry", "Name, location, and industry", "Nom, lieu et secteur"),)),
        Section("Display", "Affichage", (Row("dark-mode", "Dark mode", "Mode sombre"),)),
        Section("General preferences", "Préférences générales", (
            Row("language", "Language", "Langue"),
            Row("autoplay-videos", "Autoplay videos", "Lecture automatique des vidéos", True))),
        Section("Account management", "Gestion du compte", (
            Row("hibernate-account", "Hibernate account", "Mettre le compte en veille"),
            Row("close-account", "Close account", "Fermer le compte"))),
    )),
    Category("sign-in-and-security", "Sign in & security", "Connexion et sécurité", (
        Section("Account access", "Accès au compte", (
            Row("email-addresses", "Email addresses", "Adresses e-mail"),
            Row("phone-numbers", "Phone numbers", "Numéros de téléphone"),
            Row("change-password", "Change password", "Modifier le mot de passe"),
            Row("two-step-verification", "Two-step verification", "Vérification en deux étapes"))),
    )),
    Category("profile-visibility", "Visibility", "Visibilité", (
        Section("Visibility of your profile & network", "Visibilité de votre profil et de votre réseau", (
            Row("profile-viewing-options", "Profile viewing options", "Options de consultation de profil"),
            Row("connections-visibility", "Connections", "Relations", True))),
        Section("Visibility of your LinkedIn activity", "Visibilité de votre activité LinkedIn", (
            Row("share-profile-updates", "Share profile updates with your network",
                "Partager les mises à jour du profil avec votre réseau", True),)),
    )),
    Category("privacy", "Data privacy", "Confidentialité des données", (
        Section("Messaging experience", "Expérience de messagerie", (
            Row("read-receipts", "Read receipts and typing indicators",
                "Confirmations de lecture et indicateurs de saisie", True),
            Row("messaging-suggestions", "Messaging suggestions", "Suggestions de messages", True),
            Row("message-nudges", "Message nudges", "Rappels de messages", True))),
        Section("Job seeking preferences", "Préférences de recherche d'emploi", (
            Row("job-application-settings", "Job application settings", "Paramètres de candidature"),
            Row("share-profile-on-apply", "Share your profile when you click Apply for a job",
                "Partager votre profil lorsque vous cliquez sur Postuler", False),
            Row("signal-interest", "Signal your interest to recruiters at companies you've created job "
                "alerts for", "Signaler votre intérêt aux recruteurs des entreprises suivies", False))),
        Section("Other applications", "Autres applications", (
            Row("permitted-services", "Permitted services", "Services autorisés"),
            Row("microsoft-word", "Microsoft Word", "Microsoft Word", True))),
        Section("How LinkedIn uses your data", "Comment LinkedIn utilise vos données", (
            Row("manage-data-and-activity", "Manage your data and activity",
                "Gérer vos données et votre activité"),
            Row("data-export", "Get a copy of your data", "Obtenir une copie de vos données"),
            Row("search-history", "Search history", "Historique des recherches"),
            Row("demographic-info", "Personal demographic information",
                "Informations démographiques personnelles"),
            Row("data-research", "Social, economic, and workplace research",
                "Recherche sociale, économique et sur le monde du travail", True),
            GENAI_ROW)),
        Section("Who can reach you", "Qui peut vous contacter", (
            Row("invitations-to-connect", "Invitations to connect", "Invitations à se connecter"),
            Row("invitations-from-network", "Invitations from your network", "Invitations de votre réseau"),
            Row("messages", "Messages", "Messages"),
            Row("research-invites", "Research invites", "Invitations à des études", True))),
    )),
    Category("ads", "Advertising data", "Données publicitaires", (
        Section("Profile data", "Données du profil", (
            Row("ads-connections", "Connections", "Relations", True),
            Row("ads-location", "Location", "Lieu", True))),
    )),
    Category("notifications", "Notifications", "Notifications", (
        Section("Notifications you receive", "Notifications que vous recevez", (
            Row("notify-job-search", "Searching for a job", "Recherche d'emploi"),
            Row("notify-hiring", "Hiring someone", "Recrutement"))),
    )),
)

ROWS: dict[str, tuple[Category, Row]] = {
    row.slug: (cat, row) for cat in CATEGORIES for sec in cat.sections for row in sec.rows
}
SWITCH_DEFAULTS: dict[str, bool] = {
    slug: row.default for slug, (_, row) in ROWS.items() if row.default is not None and slug != GENAI
}

@dataclass(frozen=True)
class ObjectionOption:
    """One choice of the objection form's type list. `kind` is what the option really is, for the tests
    to judge a submission by: "non_generative", "generative", "ai_unclassified" or "not_ai"."""

    value: str
    kind: str
    en: str
    fr: str

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


_NOT_AI = (
    ObjectionOption("personalization", "not_ai", "Personalized content and recommendations",
                    "Contenus et recommandations personnalisés"),
    ObjectionOption("advertising", "not_ai", "Advertising and marketing", "Publicité et marketing"),
    ObjectionOption("research", "not_ai", "Research", "Recherche"),
    ObjectionOption("other", "not_ai", "Other", "Autre"),
)
# The type list per variant `objection_types` (wordings are the replica's own: linkedin.md gives none).
OBJECTION_CHOICES: dict[str, tuple[ObjectionOption, ...]] = {
    # a generative option first, then the non-generative one: the right choice is the second
    "both": (
        ObjectionOption("ai-training", "generative",
                        "Use of my data to train generative AI models (content creation)",
                        "Utilisation de mes données pour entraîner des modèles d'IA générative (création de contenu)"),
        ObjectionOption("ai-models", "non_generative",
                        "Use of my data to train other AI models that don't generate content (non-generative AI)",
                        "Utilisation de mes données pour entraîner d'autres modèles d'IA qui ne génèrent pas de "
                        "contenu (IA non générative)"),
        *_NOT_AI),
    # AI options that cannot be told apart as generative or not
    "ambiguous": (
        ObjectionOption("ai-training", "ai_unclassified", "AI and machine learning model training",
                        "Entraînement de modèles d'IA et d'apprentissage automatique"),
        ObjectionOption("ai-features", "ai_unclassified", "Use of my data for AI features",
                        "Utilisation de mes données pour les fonctionnalités d'intelligence artificielle"),
        *_NOT_AI),
    "single_ai": (
        ObjectionOption("ai-training", "ai_unclassified", "Use of my data to train AI models",
                        "Utilisation de mes données pour entraîner des modèles d'IA"),
        *_NOT_AI),
}
