"""The DCAT-AP-SE catalogue (/insyn/data/katalog.jsonld) passes SHACL validation (pyshacl) against
DCAT-AP 2.1.1's shapes, its range shapes and DIGG's DCAT-AP-SE additions, read from
../shared/schemas/dcat-ap/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.shared_schemas import shared_schema

pytestmark = pytest.mark.django_db

SHAPES = (
    "releases_2.1.1_dcat-ap_2.1.1_shacl_shapes.ttl",
    "releases_2.1.1_dcat-ap_2.1.1_shacl_range.ttl",
    "digg_dcat-ap-se-additions.ttl",
)


@pytest.fixture(scope="session")
def dcat_ap_se_shapes():
    import rdflib

    shapes = rdflib.Graph()
    for name in SHAPES:
        shapes.parse(shared_schema("dcat-ap", name), format="turtle")
    return shapes


def test_the_dcat_catalogue_passes_dcat_ap_se_shacl_validation(
    client, public_world, dcat_ap_se_shapes
):
    import pyshacl
    import rdflib

    response = client.get(reverse("public:catalogue"))
    catalogue = rdflib.Graph().parse(data=response.content, format="json-ld")
    assert len(catalogue) > 100  # the datasets of Täby and Vaxholm, not an empty graph
    conforms, _, report = pyshacl.validate(catalogue, shacl_graph=dcat_ap_se_shapes)
    assert conforms, report
