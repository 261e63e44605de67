"""The built-in link kinds (caprural OUTIL 4: partenaire technique, partenaire financier, co-pilote…)."""

from django.db import migrations


def create_link_kinds(apps, schema_editor):
    from maillage.directory.choices import BUILTIN_LINK_KINDS

    LinkKind = apps.get_model("directory", "LinkKind")
    for position, (code, (label, as_target, as_source, symmetric)) in enumerate(BUILTIN_LINK_KINDS.items()):
        LinkKind.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "label_as_target": as_target,
                "label_as_source": as_source,
                "symmetric": symmetric,
                "is_builtin": True,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_link_kinds, migrations.RunPython.noop)]
