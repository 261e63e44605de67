import io

import pytest
from django.template import engines
from pypdf import PdfReader

from maillage.core.pdf import ForbiddenResource, _static_only_fetcher, html_to_pdf


def test_render_pdf_contains_text():
    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Compte rendu</h1><p>{{ text }}</p>{% endblock %}'
    )
    data = html_to_pdf(template.render({"text": "Les habitants <script>alert(1)</script>"}))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Compte rendu" in text
    assert "<script>alert(1)</script>" in text  # escaped: shown as text, never run


def test_fetcher_refuses_anything_but_static():
    with pytest.raises(ForbiddenResource):
        _static_only_fetcher("http://169.254.169.254/latest/meta-data")
    with pytest.raises(ForbiddenResource):
        _static_only_fetcher("file:///etc/passwd")
    assert _static_only_fetcher("http://maillage.local/static/css/print.css")["mime_type"] == "text/css"
