from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrigadesConfig(AppConfig):
    name = "brigades"
    verbose_name = _("Бригады")

    def ready(self):
        from enterprise.permissions import register_actions, register_model_permissions

        from .permissions import ACTIONS, MODEL_PERMISSIONS

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)

        from enterprise.closing import OpenKind, register_kind
        from enterprise.selectors import TASK_PROVIDERS

        from .selectors import finished_in, open_in, tasks_for

        if tasks_for not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(tasks_for)

        from enterprise.selectors import HOME_PANELS

        from .home import home_panel

        if home_panel not in HOME_PANELS:
            HOME_PANELS.append(home_panel)
        # A distribution is the month's pay: it is approved in its month (or its draft
        # corrected there), never carried to another month's pay.
        register_kind(
            OpenKind(
                code="brigades.distribution",
                label=_("Распределения заработка бригад, не утверждённые"),
                items=open_in,
                finished=finished_in,
                note=_(
                    "Распределение — оплата труда за этот месяц: его не переносят, а "
                    "утверждают до закрытия месяца."
                ),
            )
        )

        from enterprise.checksums import MoneyTable, register_money_tables

        by_period = "period__enterprise_id"
        register_money_tables(
            MoneyTable("brigades.Distribution", "enterprise_id",
                       ("piecework", "bonus", "savings", "tariff_total")),
            MoneyTable("brigades.Line", by_period,
                       ("hours", "tariff", "surplus", "bonus", "savings", "surcharge", "total")),
            MoneyTable("brigades.Ktu", by_period, ("value",)),
            MoneyTable("brigades.Surcharge", by_period, ("hours", "tariff", "amount")),
        )  # fmt: skip
