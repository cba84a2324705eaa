"""The demo plant's data: its shops and sections, roster, users, tariff grid and scales.

The names are shared with the plant generator (``enterprise.generate``).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ..models import Shop
from ..models.roles import Role

# The demo plant's users' password, printed by load_demo and in the README: not a secret.
DEMO_PASSWORD = "demo12345"  # nosec B105
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_REASON = "Загрузка демо-данных"

ENTERPRISE_NAME = "Чебоксарский машиностроительный завод (демо)"
ENTERPRISE_SHORT_NAME = "ЧМЗ-демо"

RATES_FROM = datetime.date(2026, 1, 1)
ROLES_FROM = datetime.date(2026, 1, 1)
DEMO_MONTHS = tuple((2026, month) for month in range(6, 12))  # June … November 2026
CLOSED_MONTHS = tuple((2026, month) for month in range(6, 10))  # June … September
PLANT_TZ = ZoneInfo("Europe/Moscow")


# --- names -----------------------------------------------------------------------------

MALE_FIRST_NAMES = (
    "Александр", "Алексей", "Анатолий", "Андрей", "Борис", "Валентин", "Валерий",
    "Василий", "Виктор", "Владимир", "Вячеслав", "Геннадий", "Георгий", "Григорий",
    "Дмитрий", "Евгений", "Иван", "Игорь", "Константин", "Леонид", "Михаил", "Николай",
    "Олег", "Павел", "Пётр", "Роман", "Сергей", "Станислав", "Юрий", "Фёдор", "Артём",
    "Максим", "Денис", "Кирилл", "Илья", "Никита",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "Анна", "Валентина", "Галина", "Екатерина", "Елена", "Зинаида", "Ирина", "Людмила",
    "Мария", "Надежда", "Наталья", "Нина", "Ольга", "Светлана", "Татьяна", "Антонина",
    "Лидия", "Тамара", "Вера", "Юлия", "Дарья", "Алина",
)  # fmt: skip
# (male, female) forms
PATRONYMICS = (
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"),
    ("Анатольевич", "Анатольевна"), ("Андреевич", "Андреевна"), ("Борисович", "Борисовна"),
    ("Васильевич", "Васильевна"), ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"), ("Геннадьевич", "Геннадьевна"),
    ("Григорьевич", "Григорьевна"), ("Дмитриевич", "Дмитриевна"),
    ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"), ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"), ("Павлович", "Павловна"), ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"), ("Степанович", "Степановна"), ("Фёдорович", "Фёдоровна"),
    ("Юрьевич", "Юрьевна"), ("Ильич", "Ильинична"), ("Олегович", "Олеговна"),
    ("Семёнович", "Семёновна"),
)  # fmt: skip
# male forms; the female form comes from female_surname()
SURNAMES = (
    "Алексеев", "Андреев", "Антонов", "Афанасьев", "Баранов", "Белов", "Борисов",
    "Быстров", "Васильев", "Виноградов", "Гаврилов", "Герасимов", "Голубев", "Григорьев",
    "Громов", "Данилов", "Денисов", "Дмитриев", "Егоров", "Ефимов", "Ефремов", "Ершов",
    "Жуков", "Зайцев", "Захаров", "Иванов", "Ильин", "Исаев", "Калинин", "Карпов",
    "Кириллов", "Ковалёв", "Комаров", "Краснов", "Крылов", "Кудрявцев", "Куликов",
    "Лаврентьев", "Лебедев", "Макаров", "Максимов", "Мартынов", "Матвеев", "Медведев",
    "Михайлов", "Морозов", "Мухин", "Назаров", "Никитин", "Николаев", "Новиков", "Орлов",
    "Осипов", "Павлов", "Пахомов", "Петров", "Поляков", "Прокопьев", "Романов", "Рябов",
    "Савельев", "Самсонов", "Семёнов", "Сидоров", "Смирнов", "Соколов", "Сорокин",
    "Степанов", "Тарасов", "Тимофеев", "Тихонов", "Фёдоров", "Филиппов", "Фомин",
    "Чернов", "Шубин", "Щербаков", "Яковлев", "Вишневский", "Покровский", "Успенский",
    "Зарецкий",
)  # fmt: skip


def female_surname(male: str) -> str:
    """Иванов → Иванова, Ильин → Ильина, Вишневский → Вишневская."""
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ая"
    return male + "а"


# --- the plant -----------------------------------------------------------------------------


class DemoShop(NamedTuple):
    number: int
    name: str
    kind: str
    sections: tuple[tuple[int, str], ...]


MAIN = Shop.Kind.MAIN
AUXILIARY = Shop.Kind.AUXILIARY

SHOPS: tuple[DemoShop, ...] = (
    DemoShop(1, "Сборочный", MAIN, ((1, "Узловой сборки"), (2, "Общей сборки"),
                                    (3, "Намотки катушек"))),
    DemoShop(3, "Штамповочный", MAIN, ((1, "Холодной штамповки"), (2, "Заготовительный"))),
    # Table 2: the machining shop whose sections No. 1–3 the booklet classifies.
    DemoShop(6, "Механический", MAIN, ((1, "Фрезерный"), (2, "Токарный"),
                                       (3, "Механосборочный"))),
    DemoShop(12, "Инструментальный", AUXILIARY, ((1, "Изготовления оснастки"),
                                                 (2, "Заточный"))),
    DemoShop(14, "Энергетический", AUXILIARY, ((1, "Ремонта электрооборудования"),
                                               (2, "Компрессорный"))),
    DemoShop(20, "Товаров народного потребления", MAIN, ((1, "Ткацкий"),)),
)  # fmt: skip

# Table 2 (seed 004): sections of shop No. 6 — technological operations, workplaces,
# operations-fixing coefficient, production type. For the apps that keep section
# passports (khozraschet); the shop as a whole is small-serial (3564 operations,
# 166 workplaces, Kз 21.5).
TABLE_2_SECTIONS: dict[int, tuple[int, int, Decimal, str]] = {
    1: (767, 42, Decimal("18.2"), "serial"),
    2: (965, 38, Decimal("25.4"), "small_serial"),
    3: (1832, 86, Decimal("21.3"), "small_serial"),
}

# Short names used in the roster → the profession's full name.
PROFESSIONS: dict[str, str] = {
    "токарь": "токарь",
    "фрезеровщик": "фрезеровщик",
    "сверловщик": "сверловщик",
    "шлифовщик": "шлифовщик",
    "расточник": "расточник",
    "зуборезчик": "зуборезчик",
    "наладчик": "наладчик",
    "слесарь-сборщик": "слесарь-сборщик",
    "контролёр": "контролёр станочных и слесарных работ",
    "намотчик катушек": "намотчик катушек",  # table 24: the coil winder's personal plan
    "штамповщик": "штамповщик",
    "резчик": "резчик на ножницах и прессах",
    "слесарь-инструментальщик": "слесарь-инструментальщик",
    "заточник": "заточник",
    "электромонтёр": "электромонтёр по ремонту электрооборудования",
    "машинист компрессора": "машинист компрессорных установок",
    "ткач": "ткач",  # table 23: the weaver's personal plan
}

PAY_CONDITIONS: dict[str, str] = {
    "piece": "Сдельщики, нормальные условия",
    "time": "Повременщики, нормальные условия",
}

# Hourly tariff rates, rubles, by pay condition and grade.
#
# From the booklet (seed 004):
#   piece 2 = 0.548, 3 = 0.606, 4 = 0.670 — table 19 (Тз / hours of the milling
#     brigade) and table 16 (leader surcharges); piece 5 = 0.754 — table 16;
#   time 3 = 0.539, 4 = 0.596, 5 = 0.670, 6 = 0.767 — table 18 (the fitters' brigade).
# Derived (the booklet does not print them): piece 1 and 6, time 1 and 2. Of the
# 6-grade machine-building grids of the 1970s–80s the one with coefficients
# 1.0 / 1.09 / 1.21 / 1.33 / 1.5 / 1.71 fits the booklet's rates best (each booklet
# rate ÷ its coefficient lies within 0.501–0.504 for piece and 0.446–0.449 for time
# workers; 1.0/1.088/1.204/1.35/1.531/1.8 scatters 0.426–0.448). The grade-1 rate is
# the mean of those quotients (0.5025 piece, 0.4472 time); a missing grade = grade-1
# rate × its coefficient, rounded to 0.001: piece 1 = 0.503, 6 = 0.859; time 1 = 0.447,
# 2 = 0.487.
TARIFF_GRID: dict[str, dict[int, Decimal]] = {
    "piece": {
        1: Decimal("0.503"),  # derived
        2: Decimal("0.548"),
        3: Decimal("0.606"),
        4: Decimal("0.670"),
        5: Decimal("0.754"),
        6: Decimal("0.859"),  # derived
    },
    "time": {
        1: Decimal("0.447"),  # derived
        2: Decimal("0.487"),  # derived
        3: Decimal("0.539"),
        4: Decimal("0.596"),
        5: Decimal("0.670"),
        6: Decimal("0.767"),
    },
}

# The workers. A block [shop.section] lists its workers: personnel number, full name,
# profession (short name, see PROFESSIONS), grade, pay condition, birth date, hire date.
# Shop 6 section 1, Nos. 6101–6105: the milling brigade of table 19; shop 6 section 3,
# Nos. 6301–6307: the fitters' brigade of table 18 (same order, grades as printed).
ROSTER = """
[6.1]
6101   Виноградов Пётр Борисович       фрезеровщик               3  piece  1993-10-26  2023-06-07
6102   Максимов Валентин Анатольевич   фрезеровщик               4  piece  1970-11-22  2008-12-01
6103   Тимофеев Кирилл Михайлович      фрезеровщик               2  piece  2003-06-17  2026-05-01
6104   Баранов Станислав Фёдорович     фрезеровщик               3  piece  1980-06-08  2015-04-01
6105   Успенский Валентин Фёдорович    фрезеровщик               2  piece  2002-01-19  2025-11-06
6106   Семёнов Борис Александрович     фрезеровщик               5  piece  1986-09-13  2014-12-25
6107   Кудрявцев Георгий Александрович  фрезеровщик               4  piece  1972-07-02  2017-01-26
6108   Денисов Юрий Степанович         зуборезчик                4  piece  1994-12-10  2018-11-24
6109   Михайлова Людмила Борисовна     сверловщик                3  piece  1993-10-19  2022-05-01
6110   Ершов Роман Сергеевич           наладчик                  5  time   1980-10-06  2009-07-17
[6.2]
6201   Мухин Максим Григорьевич        токарь                    6  piece  1980-08-18  1998-08-18
6202   Орлов Валерий Фёдорович         токарь                    5  piece  1986-12-12  2012-05-24
6203   Сидоров Валерий Степанович      токарь                    4  piece  1975-05-08  2005-08-01
6204   Макаров Григорий Евгеньевич     токарь                    4  piece  1978-10-14  2006-02-12
6205   Самсонов Игорь Олегович         токарь                    3  piece  1980-03-26  2011-07-15
6206   Зайцева Вера Петровна           токарь                    3  piece  1983-08-12  2012-04-01
6207   Алексеев Игорь Иванович         токарь                    2  piece  1997-10-24  2024-09-25
6208   Ильин Денис Геннадьевич         расточник                 5  piece  1968-04-20  1992-03-26
6209   Лаврентьева Анна Евгеньевна     шлифовщик                 4  piece  1997-10-18  2021-01-01
6210   Герасимов Олег Владимирович     наладчик                  6  time   1966-03-08  1994-03-08
[6.3]
6301   Петров Сергей Николаевич        слесарь-сборщик           6  time   1966-10-14  1996-02-19
6302   Захаров Павел Степанович        слесарь-сборщик           4  time   1981-10-17  2013-09-25
6303   Жуков Сергей Андреевич          слесарь-сборщик           3  time   1997-04-02  2022-04-17
6304   Рябов Владимир Юрьевич          слесарь-сборщик           3  time   2001-06-02  2024-05-22
6305   Щербаков Владимир Владимирович  слесарь-сборщик           4  time   1991-11-06  2016-10-12
6306   Фомин Юрий Сергеевич            слесарь-сборщик           5  time   1965-10-26  1988-08-07
6307   Афанасьев Михаил Павлович       слесарь-сборщик           4  time   1980-02-19  2004-10-01
6308   Николаев Николай Викторович     шлифовщик                 5  piece  1986-03-28  2009-02-17
6309   Сорокина Анна Олеговна          шлифовщик                 3  piece  1997-08-08  2021-10-22
6310   Медведев Валерий Васильевич     сверловщик                2  piece  2004-05-01  2026-02-07
6311   Зарецкая Мария Ильинична        контролёр                 4  time   1973-05-01  2006-04-25
6312   Васильев Юрий Александрович     токарь                    4  piece  1981-01-27  2011-02-04
[1.1]
1101   Андреев Василий Григорьевич     слесарь-сборщик           5  piece  1976-12-07  2005-08-16
1102   Быстров Андрей Степанович       слесарь-сборщик           4  piece  1994-05-01  2016-10-17
1103   Никитин Георгий Николаевич      слесарь-сборщик           4  piece  1985-04-21  2010-08-15
1104   Осипов Роман Евгеньевич         слесарь-сборщик           3  piece  1990-12-27  2019-04-18
1105   Сорокин Игорь Александрович     слесарь-сборщик           2  piece  1998-12-23  2026-05-01
1106   Афанасьева Зинаида Викторовна   контролёр                 4  time   1981-01-02  2009-06-28
[1.2]
1201   Исаев Игорь Николаевич          слесарь-сборщик           6  piece  1974-05-07  1995-09-01
1202   Михайлов Евгений Дмитриевич     слесарь-сборщик           5  piece  1982-06-13  2006-12-18
1203   Крылов Александр Николаевич     слесарь-сборщик           4  piece  1989-05-27  2014-03-10
1204   Гаврилов Григорий Фёдорович     слесарь-сборщик           3  piece  1998-06-04  2022-07-04
1205   Филиппов Борис Ильич            наладчик                  5  time   1967-11-23  1994-05-17
[1.3]
1301   Романова Зинаида Алексеевна     намотчик катушек          4  piece  1991-10-07  2016-01-02
1302   Назарова Антонина Николаевна    намотчик катушек          3  piece  1984-07-17  2014-07-15
1303   Вишневская Наталья Ивановна     намотчик катушек          3  piece  1993-09-26  2019-12-10
1304   Прокопьева Антонина Ивановна    намотчик катушек          2  piece  2003-03-01  2025-09-26
1305   Денисова Юлия Семёновна         намотчик катушек          2  piece  2002-01-16  2025-07-13
[3.1]
3101   Калинин Артём Анатольевич       штамповщик                4  piece  1972-10-06  2003-04-21
3102   Куликов Вячеслав Олегович       штамповщик                3  piece  1985-06-12  2019-06-22
3103   Морозова Галина Геннадьевна     штамповщик                3  piece  1981-01-02  2018-08-03
3104   Матвеев Сергей Андреевич        штамповщик                2  piece  1999-02-11  2024-06-23
3105   Иванова Ирина Ивановна          штамповщик                2  piece  1996-03-28  2023-04-10
3106   Романов Максим Олегович         штамповщик                1  piece  2006-11-01  2026-05-01
3107   Покровский Виктор Григорьевич   наладчик                  5  time   1984-02-24  2007-10-01
[3.2]
3201   Степанов Юрий Дмитриевич        резчик                    3  piece  1985-10-18  2018-01-09
3202   Пахомов Григорий Васильевич     резчик                    3  piece  1993-05-21  2021-08-15
3203   Егоров Александр Степанович     резчик                    2  piece  1998-10-27  2023-02-28
3204   Тарасов Владимир Семёнович      штамповщик                4  piece  1977-01-06  2005-12-20
[12.1]
12101  Лаврентьев Сергей Владимирович  слесарь-инструментальщик  6  time   1982-12-06  2001-09-23
12102  Лебедев Иван Ильич              слесарь-инструментальщик  5  time   1980-09-14  2007-10-28
12103  Павлов Василий Семёнович        слесарь-инструментальщик  5  time   1966-09-04  1987-04-15
12104  Прокопьев Юрий Степанович       слесарь-инструментальщик  4  time   1983-05-20  2010-01-12
12105  Яковлев Андрей Дмитриевич       фрезеровщик               5  time   1979-12-11  2004-04-14
12106  Краснов Михаил Андреевич        токарь                    5  time   1969-03-02  1992-06-01
[12.2]
12201  Новиков Анатолий Семёнович      заточник                  4  time   1972-12-03  2006-01-01
12202  Громов Роман Борисович          заточник                  3  time   1980-06-15  2020-03-04
12203  Максимова Юлия Юрьевна          заточник                  3  time   1986-09-15  2019-07-08
[14.1]
14101  Борисов Кирилл Павлович         электромонтёр             5  time   1970-10-17  1994-05-14
14102  Карпов Николай Степанович       электромонтёр             4  time   1982-11-23  2013-06-20
14103  Антонов Кирилл Павлович         электромонтёр             4  time   1991-08-05  2019-04-12
14104  Ковалёв Фёдор Викторович        электромонтёр             3  time   1981-06-05  2017-09-26
[14.2]
14201  Белов Михаил Викторович         машинист компрессора      4  time   1974-03-19  1998-07-28
14202  Краснова Ольга Борисовна        машинист компрессора      3  time   1993-03-07  2018-08-27
[20.1]
20101  Фёдорова Ольга Васильевна       ткач                      5  piece  1983-03-03  2003-04-13
20102  Тимофеева Ирина Сергеевна       ткач                      4  piece  1987-07-15  2011-12-17
20103  Громова Алина Николаевна        ткач                      3  piece  1981-03-23  2012-02-19
20104  Герасимова Наталья Ильинична    ткач                      3  piece  1990-05-06  2021-07-07
"""


class DemoWorker(NamedTuple):
    shop: int
    section: int
    personnel_number: str
    last_name: str
    first_name: str
    middle_name: str
    profession: str  # full name
    grade: int
    pay_condition: str  # code
    birth_date: datetime.date
    hire_date: datetime.date


def roster() -> list[DemoWorker]:
    """The workers of :data:`ROSTER`, parsed."""
    workers = []
    shop = section = None
    for line in ROSTER.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if header := re.fullmatch(r"\[(\d+)\.(\d+)\]", line):
            shop, section = int(header[1]), int(header[2])
            continue
        number, name, profession, grade, pay, born, hired = re.split(r"\s{2,}", line)
        last_name, first_name, middle_name = name.split(" ")
        workers.append(
            DemoWorker(
                shop,
                section,
                number,
                last_name,
                first_name,
                middle_name,
                PROFESSIONS[profession],
                int(grade),
                pay,
                datetime.date.fromisoformat(born),
                datetime.date.fromisoformat(hired),
            )
        )
    return workers


# Table 18 (method A, by grade and hours): personnel number → hours worked in the month.
TABLE_18_BRIGADE: tuple[tuple[str, int], ...] = (
    ("6301", 167), ("6302", 161), ("6303", 167), ("6304", 167), ("6305", 154),
    ("6306", 167), ("6307", 167),
)  # fmt: skip
TABLE_18_TOTAL = Decimal("1053.84")
# Table 19 (method D, tariff part + surplus by KTU): personnel number → hours, KTU.
TABLE_19_BRIGADE: tuple[tuple[str, int, Decimal], ...] = (
    ("6101", 176, Decimal("1.0")),
    ("6102", 56, Decimal("0.85")),
    ("6103", 136, Decimal("1.05")),
    ("6104", 176, Decimal("1.0")),
    ("6105", 176, Decimal("1.1")),
)
TABLE_19_TOTAL = Decimal("1022.98")
TABLE_19_LEADER = "6101"


class DemoUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    shop: int | None = None  # shop number
    section: tuple[int, int] | None = None  # (shop number, section number)
    worker: str | None = None  # personnel number of the user's own worker record
    is_staff: bool = False  # may also sign in through the admin's own login page


USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Сергей", "Волков", Role.ADMINISTRATOR, is_staff=True),
    DemoUser("otiz", "Нина", "Козлова", Role.LABOUR, is_staff=True),
    DemoUser("deputy", "Виктор", "Соловьёв", Role.DEPUTY_DIRECTOR),
    DemoUser("prodhead", "Александр", "Гусев", Role.PRODUCTION_HEAD),
    DemoUser("pdb6", "Ольга", "Воробьёва", Role.DISPATCHER, shop=6),
    DemoUser("economist6", "Татьяна", "Беляева", Role.ECONOMIST, shop=6),
    DemoUser("shop6", "Михаил", "Кузьмин", Role.SHOP_HEAD, shop=6),
    DemoUser("master61", "Андрей", "Тихомиров", Role.MASTER, section=(6, 1)),
    DemoUser(
        "leader61", "Пётр", "Виноградов", Role.BRIGADE_LEADER, section=(6, 1),
        worker=TABLE_19_LEADER,
    ),
    DemoUser("worker61", "Кирилл", "Тимофеев", Role.WORKER, worker="6103"),
    DemoUser("shop1", "Геннадий", "Зуев", Role.SHOP_HEAD, shop=1),
    DemoUser("master11", "Валентина", "Лукина", Role.MASTER, section=(1, 1)),
)  # fmt: skip


class ScaleSpec(NamedTuple):
    code: str
    name: str
    argument_label: str
    value_label: str
    description: str
    rows: tuple[tuple[Decimal | None, Decimal | None, Decimal], ...]


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


SCALES: tuple[ScaleSpec, ...] = (
    ScaleSpec(
        "bonus-plan",
        "Премия за выполнение плана участком",
        "выполнение плана, %",
        "премия, % тарифа",
        "Пример шкалы ОТиЗ: премия коллективу участка по выполнению плана.",
        (
            (None, _d("100"), _d("0")),
            (_d("100"), _d("101"), _d("20")),
            (_d("101"), _d("103"), _d("30")),
            (_d("103"), None, _d("40")),
        ),
    ),
    ScaleSpec(
        "kkt-collective",
        "Премия по коэффициенту качества труда (коллектив участка)",
        "коэффициент качества труда Ккт",
        "премия, % от причитающейся",
        "Таблица 9 брошюры: при Ккт до 0,59 переменная часть премии не выплачивается.",
        (
            (None, _d("0.60"), _d("50")),
            (_d("0.60"), _d("0.70"), _d("65")),
            (_d("0.70"), _d("0.80"), _d("80")),
            (_d("0.80"), _d("0.90"), _d("90")),
            (_d("0.90"), _d("1.01"), _d("100")),
            (_d("1.01"), _d("1.11"), _d("105")),
            (_d("1.11"), _d("1.21"), _d("110")),
            (_d("1.21"), None, _d("115")),
        ),
    ),
)
