"""A sample "recueil" written for this project (not the seed annex): three practices in unusual wording, as
data, built as Markdown, DOCX (python-docx) or PDF (maillage.core.pdf.render_pdf of
practices/pdf/sample_document.html). Used by the tests and the demo; the contacts are fictitious."""

import io

PRACTICES = [
    {
        "title": "La cuisine mobile du plateau de Millevaches",
        "lead": (
            "Une camionnette aménagée en cuisine s'arrête chaque semaine dans quatre villages de la Creuse (23). "
            "Les habitants y préparent ensemble un repas et décident de la tournée suivante."
        ),
        "sections": [
            (
                "Pourquoi on s'est lancés",
                "Les commerces ont fermé et les personnes âgées ne sortaient plus. "
                "Le centre social voyait arriver de plus en plus de demandes d'aide alimentaire.",
            ),
            (
                "Ce qu'on a fait, concrètement",
                "Depuis mars 2021, la cuisine mobile a servi 1 200 repas. "
                "Un comité de 14 habitants choisit les menus et les villages.",
            ),
            (
                "Ce qu'on en retient",
                "Trois villages ont rouvert une salle des fêtes. "
                "Le comité fonctionne maintenant sans salarié.",
            ),
            (
                "Pour joindre l'équipe",
                "Centre social rural du plateau – Lucie Ferrand, lucie.ferrand@example.org, 05 55 00 00 01",
            ),
        ],
    },
    {
        "title": "Parents en scène à Roubaix",
        "lead": (
            "Des parents du quartier de l'Épeule écrivent et jouent une pièce de théâtre forum sur l'école, "
            "avec des enseignants."
        ),
        "sections": [
            (
                "Le point de départ",
                "Les parents ne venaient plus aux réunions de l'école et se sentaient jugés.",
            ),
            (
                "Le déroulé",
                "Douze ateliers d'écriture, puis trois représentations devant 250 spectateurs. "
                "Après chaque scène, le public remplace un personnage.",
            ),
            (
                "Les effets observés",
                "Les parents participent désormais au conseil d'école. "
                "Les enseignants ont changé la manière d'accueillir les familles.",
            ),
            ("Contact", "Compagnie du Tiers – Marc Delorme, 03 20 00 00 02"),
        ],
    },
    {
        "title": "Un budget décidé par les jeunes à Saint-Denis",
        "lead": "À Saint-Denis (93), des jeunes de 16 à 25 ans répartissent eux-mêmes une enveloppe de 30 000 euros.",
        "sections": [
            (
                "Genèse",
                "Le diagnostic partagé avait montré que les jeunes ne se sentaient pas écoutés par la mairie.",
            ),
            (
                "Mise en œuvre",
                "Un jury de 20 jeunes tirés au sort étudie les projets et vote en assemblée publique.",
            ),
            (
                "Bilan et suites",
                "18 projets financés en deux ans ; l'expérience sera étendue aux quartiers nord.",
            ),
        ],
    },
]


def as_text() -> str:
    parts = []
    for p in PRACTICES:
        parts.append(f"# {p['title']}\n\n{p['lead']}\n")
        for heading, text in p["sections"]:
            parts.append(f"{heading}\n{text}\n")
    return "\n".join(parts)


def as_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Recueil des initiatives 2023", level=0)
    for p in PRACTICES:
        document.add_heading(p["title"], level=1)
        document.add_paragraph(p["lead"])
        for heading, text in p["sections"]:
            document.add_heading(heading, level=2)
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf() -> bytes:
    from maillage.core.pdf import render_pdf

    return render_pdf("practices/pdf/sample_document.html", {"practices": PRACTICES})
