from .urls_edit import urlpatterns as edit_urlpatterns
from .urls_join import urlpatterns as join_urlpatterns
from .urls_read import urlpatterns as read_urlpatterns

app_name = "register"

urlpatterns = read_urlpatterns + edit_urlpatterns + join_urlpatterns
