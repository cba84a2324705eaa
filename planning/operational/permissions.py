"""Who may read and keep operational scheduling's pages (routes, ranks, kits, capacity).

The planning-dispatch bureau (the dispatcher) keeps the routes, the consumer stocks and
the assembly's days; the shop's economist keeps the routes and the machines with it.
Masters, shop heads and the plant's managers read them; a worker does not.
"""

from enterprise.models.roles import Role as R

ACTIONS: dict[str, frozenset[str]] = {
    "operational.view": frozenset(
        {
            R.BRIGADE_LEADER,
            R.MASTER,
            R.SHOP_HEAD,
            R.DISPATCHER,
            R.ECONOMIST,
            R.LABOUR,
            R.PRODUCTION_HEAD,
            R.DEPUTY_DIRECTOR,
            R.ADMINISTRATOR,
        }
    ),
    # parts, routes and their operations, the shop's regime and machines
    "operational.edit_routes": frozenset({R.DISPATCHER, R.ECONOMIST}),
    # the stocks counted at the consumer shops and the kits the assembly assembled
    "operational.record_stock": frozenset({R.DISPATCHER, R.SHOP_HEAD}),
}

# The admin's model permissions: the plant's administrator keeps the reference data
# (regimes, machines, parts and routes, the assembly floor, the supply plans) and reads
# the dated rows the pages write.
_KEPT = (
    "shopschedule",
    "equipmentgroup",
    "part",
    "route",
    "routeoperation",
    "partsupply",
    "assemblyarea",
    "assemblyproduct",
    "assemblystage",
)
_READ = ("consumerstock", "assemblyday", "partproduction", "shifttask")
MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    R.ADMINISTRATOR: frozenset(
        [f"planning.{verb}_{model}" for model in _KEPT for verb in ("add", "change", "view")]
        + [f"planning.view_{model}" for model in _READ]
    ),
}
