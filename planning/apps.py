from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Личные планы")

    def ready(self):
        from enterprise.permissions import register_actions, register_model_permissions
        from planning.permissions import ACTIONS, MODEL_PERMISSIONS

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)

        from enterprise.selectors import TASK_PROVIDERS
        from planning.operational.shifts.home import tasks_for as shift_tasks_for
        from planning.plans.selectors import tasks_for

        for provider in (tasks_for, shift_tasks_for):
            if provider not in TASK_PROVIDERS:
                TASK_PROVIDERS.append(provider)

        from enterprise.selectors import HOME_PANELS
        from planning.home import home_panel

        if home_panel not in HOME_PANELS:
            HOME_PANELS.append(home_panel)

        from enterprise.closing import OpenKind, register_kind
        from planning.measures import selectors as measures
        from planning.measures.services import measures_carry
        from planning.plans import selectors as plans

        # A plan is its year's: it is signed before the year's December closes.
        register_kind(
            OpenKind(
                code="planning.plan",
                label=_("Личные планы года, не подписанные"),
                items=plans.open_in,
                finished=plans.finished_in,
                note=_(
                    "Личный план — обязательства рабочего на этот год: его не переносят, "
                    "а подписывают до закрытия декабря."
                ),
            )
        )
        register_kind(
            OpenKind(
                code="planning.measure",
                label=_("Оргтехмероприятия года, не внедрённые и не отменённые"),
                items=measures.open_in,
                finished=measures.finished_in,
                carry=measures_carry,
                note=_(
                    "Перенесённое мероприятие переходит в план мероприятий следующего года; "
                    "в его истории записано, с какого года оно перенесено."
                ),
            )
        )

        from planning.operational.shifts import selectors as shifts

        # A shift task is its day's: its output belongs to that month, so it is finished
        # (the output recorded) or cancelled before the month closes, never carried.
        register_kind(
            OpenKind(
                code="planning.shift",
                label=_("Сменные задания без записанной выработки, не отменённые"),
                items=shifts.open_in,
                finished=shifts.finished_in,
                note=_(
                    "Сменное задание — задание на смену своего дня, его не переносят. По "
                    "подписанному мастер или ПДБ записывают выработку по корешкам (без неё "
                    "выработка рабочих за смену не засчитана); выданное мастер проверяет и "
                    "подписывает; задание, по которому смену не работали, ПДБ отменяет с "
                    "причиной."
                ),
            )
        )

        from enterprise.checksums import MoneyTable, register_money_tables

        yearly = {"year": "year", "month": None}
        register_money_tables(
            MoneyTable("planning.PersonalPlan", "enterprise_id",
                       ("annual_volume", "average_output", "materials_savings",
                        "tools_savings", "energy_savings"), **yearly),
            MoneyTable("planning.SectionTask", "enterprise_id", ("task",), **yearly),
            MoneyTable("planning.MonthlyOutput", "enterprise_id", ("output", "hours_worked")),
            MoneyTable("planning.SectionDayOutput", "enterprise_id", ("output",),
                       year="date__year", month="date__month"),
            MoneyTable("planning.SavingsEntry", "enterprise_id", ("amount",)),
        )  # fmt: skip
