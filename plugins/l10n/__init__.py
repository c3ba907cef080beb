from .l10n import *  # noqa: F401,F403
