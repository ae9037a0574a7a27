from .access import Access


def access(request):
    """Expose the user's access (what they may see and change) to every template."""
    user = getattr(request, "user", None)
    return {"access": Access.for_user(user)}
