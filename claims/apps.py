from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Претензии")

    def ready(self):
        from enterprise.closing import OpenKind, register_kind
        from enterprise.permissions import register_actions, register_model_permissions
        from enterprise.selectors import TASK_PROVIDERS

        from .permissions import ACTIONS, MODEL_PERMISSIONS
        from .selectors import finished_in, open_in, tasks_for
        from .services import claims_carry

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)
        if tasks_for not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(tasks_for)
        register_kind(
            OpenKind(
                code="claims.claim",
                label=_("Претензии, ждущие ответа или решения"),
                items=open_in,
                finished=finished_in,
                carry=claims_carry,
                note=_(
                    "Перенесённая претензия переходит в ведомость следующего открытого "
                    "месяца: там на неё отвечают и её решают; в истории претензии "
                    "записано, из какого месяца она перенесена."
                ),
            )
        )

        from enterprise.checksums import MoneyTable, register_money_tables

        register_money_tables(
            MoneyTable(
                "claims.Claim",
                "enterprise_id",
                ("loss_amount", "accepted_amount", "decided_amount", "final_amount"),
            )
        )
