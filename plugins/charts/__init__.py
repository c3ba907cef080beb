from .charts import *  # noqa: F401,F403
