"""The wrk scripts of the sales writes: ``create_venta`` posts a sale of ``LINES`` random lines
for a random customer; ``convertir`` walks the pool of quotations, each converted once."""

from bench import names
from bench.scenarios import Scenario
from bench.scenarios_sales import LINES

_PRODUCTOS = "{" + ", ".join(f'"{p}"' for p in names.PRODUCTOS) + "}"

_CREATE = """
local clientes = {{{clientes}}}
local productos = {productos}
function request()
  counter = counter + 1
  local items = {{}}
  for i = 1, {lines} do
    items[i] = string.format(
      '{{"descripcion": "%s", "cantidad": %d.%03d, "precioUnitario": %d.%02d}}',
      productos[math.random(1, #productos)], math.random(1, 19), math.random(0, 999),
      math.random(500, 399999), math.random(0, 99))
  end
  local body = string.format(
    '{{"clienteId": %d, "notas": "Venta de carga %d-%d", "items": [%s]}}',
    clientes[math.random(1, #clientes)], tid or 0, counter, table.concat(items, ", "))
  return wrk.format("POST", "{path}", nil, body)
end
"""

# Thread t of n takes quotations t, t + n, t + 2n …: no quotation is converted twice. Past the
# end of the pool it starts again, and the 409s show as errors.
_CONVERT = """
local ids = {{{ids}}}
local stride = {threads}
function request()
  counter = counter + 1
  local index = ((counter - 1) * stride + (tid or 1) - 1) % #ids + 1
  return wrk.format("POST", "{prefix}" .. ids[index] .. "{suffix}", nil, "")
end
"""


def lua(scenario: Scenario, threads: int) -> str:
    """The ``request()`` of a sales write scenario's wrk script (after the thread ids)."""
    if scenario.kind == "create_venta":
        return _CREATE.format(
            clientes=", ".join(map(str, scenario.cliente_ids)),
            productos=_PRODUCTOS,
            lines=LINES,
            path=scenario.path,
        )
    prefix, suffix = scenario.path.split("{id}")
    return _CONVERT.format(
        ids=", ".join(map(str, scenario.pool)), threads=threads, prefix=prefix, suffix=suffix
    )
