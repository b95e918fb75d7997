from core.sms import *  # noqa: F403  (moved to core.sms; old SMS_BACKEND paths keep working)
