from django.shortcuts import render

from maillage.glossary.selectors import glossary_search


def glossary_list(request):
    query = request.GET.get("q", "").strip()
    terms = list(glossary_search(query))
    template = "glossary/_results.html" if request.headers.get("HX-Request") else "glossary/list.html"
    return render(request, template, {"terms": terms, "query": query})
