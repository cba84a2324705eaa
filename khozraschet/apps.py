from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhozraschetConfig(AppConfig):
    name = "khozraschet"
    verbose_name = _("Хозрасчёт участков")

    def ready(self):
        from enterprise.closing import REOPEN_HOOKS, OpenKind, register_kind
        from enterprise.permissions import register_actions, register_model_permissions

        from .closing import finished_in, open_in
        from .permissions import ACTIONS, MODEL_PERMISSIONS
        from .services.close import results_after_reopening

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)
        register_kind(
            OpenKind(
                code="khozraschet.results",
                label=_("Итоги хозрасчёта участков: не подведены, устарели или не завершены"),
                items=open_in,
                finished=finished_in,
                note=_(
                    "Итоги месяца подводятся в своём месяце и замораживаются вместе с ним: "
                    "подведите их заново на странице «Подведение итогов» и исправьте то, "
                    "что мешает расчёту."
                ),
            )
        )
        if results_after_reopening not in REOPEN_HOOKS:
            REOPEN_HOOKS.append(results_after_reopening)

        from enterprise.selectors import HOME_PANELS

        from .selectors.overview import home_panel

        if home_panel not in HOME_PANELS:
            HOME_PANELS.append(home_panel)

        from enterprise.checksums import MoneyTable, register_money_tables

        by_period = "period__enterprise_id"
        register_money_tables(
            MoneyTable("khozraschet.SectionResult", by_period,
                       ("cost_plan", "cost_plan_corrected", "cost_actual", "claims_net",
                        "wage_fund_plan", "wage_fund_actual", "incentive", "energy_bonus")),
            MoneyTable("khozraschet.ShopResult", by_period,
                       ("cost_plan_corrected", "cost_actual", "claims_net", "wage_fund_actual",
                        "incentive")),
            MoneyTable("khozraschet.IncentiveFund", "enterprise_id", ("amount",)),
            MoneyTable("khozraschet.CostLine", by_period, ("plan", "actual")),
            MoneyTable("khozraschet.CostCorrection", by_period, ("amount",)),
            MoneyTable("khozraschet.IndicatorValue", by_period, ("plan", "actual")),
            MoneyTable("khozraschet.EnergySaving", by_period, ("saved_value",)),
        )  # fmt: skip
