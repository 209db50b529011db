from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def one_insert(request: HttpRequest) -> HttpResponse:
    """The baseline: a bare view doing one INSERT, under the same server and middleware."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_hit DEFAULT VALUES")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/one-insert/", one_insert), path("", include("clinic.urls"))]
