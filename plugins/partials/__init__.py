from .partials import *  # noqa: F403
