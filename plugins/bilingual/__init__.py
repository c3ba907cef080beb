from .bilingual import *  # noqa: F401,F403
