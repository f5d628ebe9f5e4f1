"""Names of the administrative levels above a district, from its INEI ubigeo (DDPPdd).

Departments are complete (01-25). Province names are listed only where the platform has
districts or expects them (extend the table when another mancomunidad joins); elsewhere
the export gives the province's code alone.
"""

from __future__ import annotations

DEPARTMENTS = {
    "01": "Amazonas",
    "02": "Áncash",
    "03": "Apurímac",
    "04": "Arequipa",
    "05": "Ayacucho",
    "06": "Cajamarca",
    "07": "Callao",
    "08": "Cusco",
    "09": "Huancavelica",
    "10": "Huánuco",
    "11": "Ica",
    "12": "Junín",
    "13": "La Libertad",
    "14": "Lambayeque",
    "15": "Lima",
    "16": "Loreto",
    "17": "Madre de Dios",
    "18": "Moquegua",
    "19": "Pasco",
    "20": "Piura",
    "21": "Puno",
    "22": "San Martín",
    "23": "Tacna",
    "24": "Tumbes",
    "25": "Ucayali",
}

PROVINCES = {
    "0701": "Callao",
    "1501": "Lima",
}


def department_of(ubigeo: str) -> tuple[str, str]:
    """(code, name) of the district's department (region, admin level 1)."""
    code = ubigeo[:2]
    return code, DEPARTMENTS.get(code, "")


def province_of(ubigeo: str) -> tuple[str, str]:
    """(code, name) of the district's province (admin level 2); the name may be blank."""
    code = ubigeo[:4]
    return code, PROVINCES.get(code, "")
