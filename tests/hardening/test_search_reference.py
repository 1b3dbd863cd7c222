"""The reference search rule of the property-based tests follows the contract's own examples."""

from tests.hardening.clientes_reference import matches


def test_reference_rule_examples():
    """The reference implementation itself follows the contract's examples."""
    row = {
        "nombre": "José Álvarez",
        "documento": "1.020.345.678",
        "email": "jose@example.com",
        "telefono": "300 123-4567",
    }
    for term in ("jose", "ALVAREZ", "3001234567", "300-123", "1020345678", "EXAMPLE.COM"):
        assert matches(row, term), term
    for term in ("100%", "jo_e", "jos\\", "4567 9"):
        assert not matches(row, term), term
    assert matches({**row, "nombre": "100% algodón_x\\y"}, "100%")
    assert matches({**row, "nombre": "100% algodón_x\\y"}, "N_X\\")
