"""Health probes answered before host validation and the HTTPS redirect.

Kubernetes' kubelet and Docker's HEALTHCHECK reach a replica by its pod IP or
127.0.0.1 over plain HTTP: names no ALLOWED_HOSTS lists, on a scheme the site
would redirect. The probes carry no user data and set no cookie, so they are
served here, first, by the same views the URLconf names.
"""

from mspt3 import views

PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe else self.get_response(request)
