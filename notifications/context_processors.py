from django.utils.functional import SimpleLazyObject

from .selectors import inbox_summary


def notifications(request):
    """The header's unread counter and the newest id (where the page's live updates start from): one
    aggregate query, run only when a template reads it."""
    user = getattr(request, "user", None)
    return {"notifiche": SimpleLazyObject(lambda: inbox_summary(user))}
