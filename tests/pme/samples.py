"""Small sample reports written for tests (not real data: see each function)."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from alianza.exchange.keys import NodeIdentity

SPANISH_HEADER = "ACCIÓN\tLÍNEA BASE Al 1 feb 98\tMETA\tMEDICIÓN\tESTADO Al 31 ago 99"
SPANISH_TITLE = (
    "Punto de Alianza 10: Mejorar la cooperación a ambos lados de nuestra frontera común "
    "para aumentar la seguridad."
)


def spanish_report(target_10_4_1: str) -> str:
    """10.4 and 10.4.1 in Spanish (translated for this test: the seed is English only)."""
    rows = [
        "<p>10.4. Los Gobiernos de México y de los Estados Unidos fortalecerán la cooperación "
        "bilateral en la región fronteriza.</p>\t<p>Ambos países tienen representantes.</p>\t"
        "<p>Para el 31 de julio de 1999, formalizar un contacto de oficial de enlace.</p> "
        "<p>Para julio de 1999, establecer los subgrupos de trabajo.</p> "
        "<p>Para julio de 1999, llevar a cabo reuniones en cada área.</p>\t"
        "<p>Designación de oficiales de enlace.</p>\t<p>Ver 10.2. Estado párrafo 5</p>",
        "10.4.1 Ambos gobiernos enfocarán el Mecanismo de Enlace Fronterizo.\t"
        f"Existe un subgrupo en San Diego/Tijuana.\t{target_10_4_1}\t"
        "Formación de los subgrupos.\tVer 10.2. Estado párrafo 5",
    ]
    blocks = [f"{SPANISH_TITLE}\n\n{SPANISH_HEADER}\n{row}\n" for row in rows]
    return "\n".join(blocks)


def mx_node_identity() -> NodeIdentity:
    """A partner MX node's verified identity: the US node records Mexico's cycle texts and
    approvals, which arrive as that node's signed messages, under it."""
    key = Ed25519PrivateKey.generate().public_key()
    return NodeIdentity("Nodo MX (test)", "MX", key, "2000-01-01T00:00:00+00:00")
