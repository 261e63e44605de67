from django.shortcuts import get_object_or_404, render

from maillage.territories.models import Perimeter, Territory


def search(request):
    return render(request, "territories/search.html", {"query": request.GET.get("q", "")})


def detail(request, kind, code):
    territory = get_object_or_404(Territory, kind=kind, code=code)
    return render(request, "territories/detail.html", {"territory": territory})


def perimeter(request, pk):
    return render(request, "territories/perimeter.html", {"perimeter": get_object_or_404(Perimeter, pk=pk)})
