"""The demo profiles' publication parts: a few migration-context figures and, for Central
Java, a context text, entered through the services a coordinator uses.

Only figures stated in the project's domain notes (IOM Indonesia's news on the 2023 round) are
given as facts, with their source; any other figure is marked in its source as a
demonstration value, not an official statistic. Used by reports/demo.py (Central Java) and by
the render benchmark (the national profile).
"""

from typing import Any

from ministries.models import User

from . import publication
from .models import Profile, ProfileSection

# One source field serves both editions: names and dates that read the same in both, and
# the demonstration mark in both languages.
IOM_NEWS = "IOM Indonesia (indonesia.iom.int)"
DEMO_SOURCE = (
    "Demonstration value, not an official statistic / Nilai demonstrasi, bukan statistik resmi"
)

FIGURES: dict[str, list[dict[str, Any]]] = {
    "national": [
        {
            "label_en": "Ministries and agencies at the national MGI kick-off (3 April 2023)",
            "label_id": "Kementerian dan lembaga pada rapat pembukaan MGI nasional (3 April 2023)",
            "value": "17",
            "source": f"{IOM_NEWS}, 2023-04-03",
            "year": 2023,
        },
        {
            "label_en": "Participants in the national validation consultation (19 December 2023)",
            "label_id": "Peserta konsultasi validasi nasional (19 Desember 2023)",
            "value": "58",
            "source": f"{IOM_NEWS}, 2023-12",
            "year": 2023,
        },
        {
            "label_en": "Indonesian migrant workers placed abroad",
            "label_id": "Pekerja migran Indonesia yang ditempatkan di luar negeri",
            "value": "270,000",
            "source": DEMO_SOURCE,
            "year": 2023,
        },
    ],
    "provincial": [
        {
            "label_en": "Provincial and local institutions at the local MGI kick-off, Semarang "
            "(31 August 2023)",
            "label_id": "Lembaga provinsi dan daerah pada rapat pembukaan MGI daerah, Semarang "
            "(31 Agustus 2023)",
            "value": "38",
            "source": f"{IOM_NEWS}, 2023-08-31",
            "year": 2023,
        },
        {
            "label_en": "Participants in the local focus group discussion (18 September 2023)",
            "label_id": "Peserta diskusi kelompok terpumpun daerah (18 September 2023)",
            "value": "121",
            "source": f"{IOM_NEWS}, 2023-09",
            "year": 2023,
        },
        {
            "label_en": "Migrant workers from the province placed abroad",
            "label_id": "Pekerja migran asal provinsi yang ditempatkan di luar negeri",
            "value": "55,000",
            "source": DEMO_SOURCE,
            "year": 2023,
        },
    ],
}

CONTEXT_PROVINCIAL = {
    "en": "IOM describes Central Java as one of the main sending regions of Indonesian migrant "
    "workers, with a comprehensive migration policy. The joint United Nations programme "
    "Migration Governance for Sustainable Development in Indonesia (2022–2023), run by IOM with "
    "UN Women and UNDP, chose Central Java and West Nusa Tenggara as its focus provinces.\n\n"
    "Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers sets out the state's "
    "protection before, during and after work abroad and divides the tasks between village, "
    "regional and central government; Government Regulation No. 59 of 2021 gives the provinces "
    "their one-stop integrated services, training, and departure and return posts.\n\n"
    "The table gives a few figures, each with its source and year. The last one is a "
    "demonstration value and says so.",
    "id": "IOM menggambarkan Jawa Tengah sebagai salah satu daerah asal utama pekerja migran "
    "Indonesia, dengan kebijakan migrasi yang menyeluruh. Program bersama Perserikatan "
    "Bangsa-Bangsa Migration Governance for Sustainable Development in Indonesia (2022–2023), "
    "yang dijalankan IOM bersama UN Women dan UNDP, memilih Jawa Tengah dan Nusa Tenggara Barat "
    "sebagai provinsi sasarannya.\n\n"
    "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia mengatur "
    "pelindungan oleh negara sebelum, selama, dan setelah bekerja di luar negeri serta membagi "
    "tugas antara pemerintah desa, pemerintah daerah, dan pemerintah pusat; Peraturan "
    "Pemerintah Nomor 59 Tahun 2021 memberi provinsi layanan terpadu satu atap, pelatihan, "
    "serta pos pemberangkatan dan kepulangan.\n\n"
    "Tabel berikut menyajikan sejumlah data, masing-masing dengan sumber dan tahunnya. Data "
    "terakhir adalah nilai demonstrasi dan disebutkan demikian.",
}


def seed_publication(profile: Profile, actor: User) -> None:
    """The demo's context figures (and, for a province, its context text), once."""
    if profile.context_figures.exists():
        return
    scope = "provincial" if profile.assessment.scope == "provincial" else "national"
    for figure in FIGURES[scope]:
        publication.context_figure_save(profile=profile, actor=actor, **figure)
    if scope == "provincial":
        section = profile.sections.get(key=ProfileSection.Key.CONTEXT, dimension=None)
        publication.section_update(
            section=section,
            actor=actor,
            text_en=CONTEXT_PROVINCIAL["en"],
            text_id=CONTEXT_PROVINCIAL["id"],
        )
