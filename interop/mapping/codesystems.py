"""The product's own code systems as `CodeSystem` resources (declared in `interop.codes`)."""

from __future__ import annotations

from django.conf import settings

from interop.codes import CodeSystemDeclaration
from interop.mapping import Resource
from interop.mapping.elements import compact, resource
from interop.mapping.translations import source_language, source_text, translations


def code_system_resource(declaration: CodeSystemDeclaration) -> Resource:
    concepts = []
    for concept in declaration.concepts:
        designations = [
            {"language": tag, "value": value}
            for tag, value in sorted(translations(concept.display).items())
        ]
        concepts.append(
            compact(
                code=concept.code,
                display=source_text(concept.display),
                definition=concept.definition,
                designation=designations,
            )
        )
    return resource(
        "CodeSystem",
        declaration.id,
        url=declaration.url,
        version=declaration.version,
        name=declaration.name,
        title=source_text(declaration.title),
        status="active",
        publisher=settings.CLINIC_NAME,
        description=declaration.description,
        language=source_language(),
        caseSensitive=True,
        content="complete",
        count=len(concepts),
        concept=concepts,
    )
