from django.conf import settings


def maillage(request):
    return {"MAILLAGE_DEMO": settings.MAILLAGE_DEMO, "MAILLAGE_PRODUCTION": settings.PRODUCTION}
