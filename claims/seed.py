"""The claim types of table 10 (plant ЧЭАЗ) and of §4, as an enterprise's starting data.

``seed_claim_types(enterprise)`` is idempotent: it adds the types an enterprise lacks
(by code) and leaves the ones the plant has edited alone.
"""

from __future__ import annotations

from enterprise.models.roles import Role

from .models import ClaimType

SCHEDULE = "График производства"
IDLE_SLIP = "Листок на оплату простоя"
OVERTIME = "Список рабочих, работавших сверхурочно"

# code, name, grounds, documents, loss rule, arbitrator for inter-shop claims
TABLE_10: tuple[tuple[str, str, str, tuple[str, ...], str, str], ...] = (
    (
        "late_parts",
        "Несвоевременная поставка деталей",
        "Детали поданы позже срока производственного графика; рабочие простаивали.",
        (SCHEDULE, IDLE_SLIP, OVERTIME),
        "idle_time",
        Role.PRODUCTION_HEAD,
    ),
    (
        "late_goods_materials",
        "Несвоевременная сдача готовой продукции на склад сбыта, обеспечение материалами "
        "и покупными полуфабрикатами",
        "Нарушен срок сдачи продукции или подачи материалов и покупных полуфабрикатов.",
        (SCHEDULE, IDLE_SLIP, OVERTIME),
        "idle_time",
        Role.PRODUCTION_HEAD,
    ),
    (
        "late_tools",
        "Несвоевременное обеспечение инструментом, оснасткой",
        "Инструмент или оснастка поданы позже срока; рабочие простаивали.",
        ("Наряд на оплату работ", IDLE_SLIP),
        "idle_time",
        Role.DEPUTY_DIRECTOR,
    ),
    (
        "late_energy",
        "Несвоевременная подача энергии всех видов (электроэнергия, газ, пар, воздух, эмульсия)",
        "Энергия подана с нарушением графика; оборудование и рабочие простаивали.",
        ("График подачи энергии", IDLE_SLIP),
        "idle_time",
        Role.DEPUTY_DIRECTOR,
    ),
    (
        "late_shipment",
        "Несвоевременная отгрузка продукции потребителю",
        "Нарушен график отгрузки; заводу предъявлены санкции потребителя.",
        ("График отгрузки",),
        "unproductive",
        Role.DEPUTY_DIRECTOR,
    ),
    (
        "price_deviation",
        "Затраты от отклонения от плановых цен на материалы",
        "Замена материалов, сверхлимитный отпуск, отступления от технологии.",
        ("Акт о замене материалов", "Требования на сверхлимитный отпуск"),
        "process_deviation",
        Role.DEPUTY_DIRECTOR,
    ),
    # §4: further grounds and their loss rules
    (
        "idle_moved",
        "Простой с переводом рабочих на другую работу",
        "Рабочие переведены на другую работу из-за простоя по вине другого подразделения.",
        (IDLE_SLIP, "Наряд на выполненную работу"),
        "idle_moved",
        Role.PRODUCTION_HEAD,
    ),
    (
        "poor_documentation",
        "Некачественная техническая документация",
        "Ошибки в документации вызвали брак или дополнительные затраты труда.",
        ("Акт о браке", "Наряд на доплату"),
        "documentation",
        Role.PRODUCTION_HEAD,
    ),
    (
        "poor_tools",
        "Некачественный инструмент, оснастка",
        "Поставлен негодный инструмент или оснастка.",
        ("Акт о негодности инструмента", IDLE_SLIP),
        "tools",
        Role.DEPUTY_DIRECTOR,
    ),
    (
        "poor_repair",
        "Некачественный ремонт оборудования",
        "Оборудование потребовало повторного ремонта.",
        ("Акт о повторном ремонте", IDLE_SLIP),
        "repair",
        Role.DEPUTY_DIRECTOR,
    ),
    (
        "unproductive",
        "Непроизводительные расходы (штрафы, пени, недостачи)",
        "Заводу предъявлены штрафы или пени, выявлена недостача по вине подразделения.",
        ("Документ о штрафе, пене или недостаче",),
        "unproductive",
        Role.DEPUTY_DIRECTOR,
    ),
)


def seed_claim_types(enterprise) -> int:
    """Add the types of table 10 the enterprise does not have yet; returns how many."""
    have = set(ClaimType.objects.filter(enterprise=enterprise).values_list("code", flat=True))
    added = 0
    for order, (code, name, grounds, documents, rule, role) in enumerate(TABLE_10, start=1):
        if code in have:
            continue
        ClaimType(
            enterprise=enterprise,
            code=code,
            name=name,
            grounds=grounds,
            documents=list(documents),
            loss_rule=rule,
            arbitrator_role=role,
            order=order,
        ).save()
        added += 1
    return added
