"""Being built (issue 4)."""

urlpatterns = []
