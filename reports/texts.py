"""The default texts of a profile's sections, as pairs (English, Bahasa Indonesia).

Filled in by reports/sections.py with figures from the snapshot (`%(name)s`); a key ending
in `_provincial` is the variant for a province's profile. Paragraphs are separated by a
blank line. The Indonesian is written for an Indonesian reader, not translated word by word.
"""

TEXTS: dict[str, dict[str, str]] = {
    "government": {"en": "Government of Indonesia", "id": "Pemerintah Indonesia"},
    "where": {"en": "Indonesia", "id": "Indonesia"},
    "where_provincial": {"en": "%(place)s Province", "id": "Provinsi %(place)s"},
    "cover": {
        "en": "Migration Governance Indicators (MGI): national assessment of the Republic of "
        "Indonesia, %(year)s.\n\nPublished in %(pub)s.",
        "id": "Indikator Tata Kelola Migrasi (MGI): penilaian nasional Republik Indonesia "
        "tahun %(year)s.\n\nDiterbitkan tahun %(pub)s.",
    },
    "cover_provincial": {
        "en": "Migration Governance Indicators (MGI): local assessment of %(place)s Province, "
        "Republic of Indonesia, %(year)s.\n\nPublished in %(pub)s.",
        "id": "Indikator Tata Kelola Migrasi (MGI): penilaian daerah Provinsi %(place)s, "
        "Republik Indonesia, tahun %(year)s.\n\nDiterbitkan tahun %(pub)s.",
    },
    "publisher": {
        "en": "The opinions expressed in the report are those of the authors and do not "
        "necessarily reflect the views of the International Organization for Migration (IOM). "
        "The designations employed and the presentation of material throughout the report do "
        "not imply the expression of any opinion whatsoever on the part of IOM concerning the "
        "legal status of any country, territory, city or area, or of its authorities, or "
        "concerning its frontiers or boundaries.\n\n"
        "IOM is committed to the principle that humane and orderly migration benefits migrants "
        "and society. As an intergovernmental organization, IOM acts with its partners in the "
        "international community to assist in meeting the operational challenges of migration, "
        "advance understanding of migration issues, encourage social and economic development "
        "through migration and uphold the human dignity and well-being of migrants.\n\n"
        "This profile (version %(version)s) was prepared from the validated answers of dataset "
        "no. %(snapshot)s.",
        "id": "Pendapat yang dikemukakan dalam laporan ini merupakan pendapat para penulis dan "
        "tidak selalu mencerminkan pandangan Organisasi Internasional untuk Migrasi (IOM). "
        "Sebutan yang digunakan dan penyajian materi dalam laporan ini tidak menyiratkan "
        "pendapat apa pun dari pihak IOM mengenai status hukum suatu negara, wilayah, kota, "
        "atau daerah, atau otoritasnya, maupun mengenai perbatasan atau batas wilayahnya.\n\n"
        "IOM berpegang pada prinsip bahwa migrasi yang manusiawi dan tertib bermanfaat bagi "
        "migran dan masyarakat. Sebagai organisasi antarpemerintah, IOM bekerja bersama para "
        "mitranya di komunitas internasional untuk membantu menjawab tantangan operasional "
        "migrasi, meningkatkan pemahaman tentang isu-isu migrasi, mendorong pembangunan sosial "
        "dan ekonomi melalui migrasi, serta menjunjung martabat dan kesejahteraan migran.\n\n"
        "Profil ini (versi %(version)s) disusun dari jawaban tervalidasi pada set data "
        "no. %(snapshot)s.",
    },
    "demo": {
        "en": "This edition is built from demonstration data. It is not an official finding of "
        "the Government of Indonesia or of IOM, and none of its content may be quoted as such.",
        "id": "Edisi ini disusun dari data demonstrasi. Isinya bukan temuan resmi Pemerintah "
        "Indonesia maupun IOM dan tidak boleh dikutip sebagai temuan resmi.",
    },
    "acknowledgements": {
        "en": "This profile was prepared under the coordination of the %(coordinator)s, with the "
        "support of the International Organization for Migration (IOM) and Economist Impact.",
        "id": "Profil ini disusun di bawah koordinasi %(coordinator)s, dengan dukungan "
        "Organisasi Internasional untuk Migrasi (IOM) dan Economist Impact.",
    },
    "acknowledgements_provincial": {
        "en": "This profile was prepared by the Provincial Government of %(place)s together with "
        "the %(coordinator)s, which coordinates the Migration Governance Indicators in "
        "Indonesia, and with the support of the International Organization for Migration (IOM) "
        "and Economist Impact.",
        "id": "Profil ini disusun oleh Pemerintah Provinsi %(place)s bersama %(coordinator)s, "
        "yang mengoordinasikan Indikator Tata Kelola Migrasi di Indonesia, dengan dukungan "
        "Organisasi Internasional untuk Migrasi (IOM) dan Economist Impact.",
    },
    "thanks_one": {
        "en": "We thank the institution that took part in the assessment: %%(institutions)s.",
        "id": "Kami mengucapkan terima kasih kepada lembaga yang berpartisipasi dalam penilaian "
        "ini: %%(institutions)s.",
    },
    "thanks_many": {
        "en": "We thank the %(count)s institutions that took part in the assessment: "
        "%%(institutions)s.",
        "id": "Kami mengucapkan terima kasih kepada %(count)s lembaga yang berpartisipasi dalam "
        "penilaian ini: %%(institutions)s.",
    },
    "objectives": {
        "en": "The Migration Governance Indicators (MGI) help governments take stock of their "
        "migration policies and strategies, identify good practices and areas with potential "
        "for further development, and foster dialogue on migration between the government and "
        "its partners. The MGI looks at policy inputs: the laws, policies, institutions and "
        "structures in place. It is not a ranking: it does not score or compare countries or "
        "provinces, and it does not assess how policies are implemented in practice.\n\n"
        "This profile sets out the results of the MGI assessment of the Republic of Indonesia "
        "carried out in %(year)s. It gives the government and its partners a common baseline "
        "on the governance of migration in Indonesia, informs the follow-up of the Global "
        "Compact for Migration and of SDG target 10.7, and serves as a reference for later "
        "assessments.",
        "id": "Indikator Tata Kelola Migrasi (MGI) membantu pemerintah memetakan kebijakan dan "
        "strategi migrasinya, mengenali praktik baik serta bidang yang berpotensi dikembangkan "
        "lebih lanjut, dan mendorong dialog tentang migrasi antara pemerintah dan para "
        "mitranya. MGI menilai masukan kebijakan, yaitu peraturan perundang-undangan, "
        "kebijakan, kelembagaan, dan struktur yang ada. MGI bukan pemeringkatan: MGI tidak "
        "memberi skor atau membandingkan negara maupun provinsi, dan tidak menilai bagaimana "
        "kebijakan dilaksanakan dalam praktik.\n\n"
        "Profil ini menyajikan hasil penilaian MGI Republik Indonesia yang dilaksanakan pada "
        "tahun %(year)s. Profil ini memberi pemerintah dan para mitranya titik acuan bersama "
        "tentang tata kelola migrasi di Indonesia, menjadi masukan bagi tindak lanjut Global "
        "Compact for Migration dan target TPB 10.7, serta menjadi rujukan bagi penilaian "
        "berikutnya.",
    },
    "objectives_provincial": {
        "en": "The Migration Governance Indicators (MGI) help governments take stock of their "
        "migration policies and strategies, identify good practices and areas with potential "
        "for further development, and foster dialogue on migration between the government and "
        "its partners. The local MGI applies the same approach to a province or city, within "
        "the powers of its government. The MGI looks at policy inputs: the laws, policies, "
        "institutions and structures in place. It is not a ranking: it does not score or "
        "compare provinces, and it does not assess how policies are implemented in practice.\n\n"
        "This profile sets out the results of the local MGI assessment of %(place)s Province "
        "carried out in %(year)s. It gives the provincial government and its partners a common "
        "baseline on the governance of migration in the province, links it to the national "
        "assessment, and serves as a reference for later assessments.",
        "id": "Indikator Tata Kelola Migrasi (MGI) membantu pemerintah memetakan kebijakan dan "
        "strategi migrasinya, mengenali praktik baik serta bidang yang berpotensi dikembangkan "
        "lebih lanjut, dan mendorong dialog tentang migrasi antara pemerintah dan para "
        "mitranya. MGI daerah menerapkan pendekatan yang sama pada provinsi atau kota, sesuai "
        "dengan kewenangan pemerintahnya. MGI menilai masukan kebijakan, yaitu peraturan "
        "perundang-undangan, kebijakan, kelembagaan, dan struktur yang ada. MGI bukan "
        "pemeringkatan: MGI tidak memberi skor atau membandingkan provinsi, dan tidak menilai "
        "bagaimana kebijakan dilaksanakan dalam praktik.\n\n"
        "Profil ini menyajikan hasil penilaian MGI daerah Provinsi %(place)s yang dilaksanakan "
        "pada tahun %(year)s. Profil ini memberi pemerintah provinsi dan para mitranya titik "
        "acuan bersama tentang tata kelola migrasi di provinsi, mengaitkannya dengan penilaian "
        "nasional, serta menjadi rujukan bagi penilaian berikutnya.",
    },
    "introduction": {
        "en": "In 2015, IOM's Member States welcomed the Migration Governance Framework "
        "(MiGOF), which sets out in three principles and three objectives what well-managed "
        "migration policy looks like. IOM developed the Migration Governance Indicators with "
        "Economist Impact to put the MiGOF into practice: a set of indicators, grouped in six "
        "dimensions that follow the MiGOF's principles and objectives one for one, describes "
        "the policy levers a government has in place. This assessment used %(indicators)s "
        "indicators.\n\n"
        "The 2030 Agenda for Sustainable Development includes migration in target 10.7, which "
        "calls on countries to facilitate orderly, safe, regular and responsible migration and "
        "mobility of people, including through the implementation of planned and well-managed "
        "migration policies. Indicator 10.7.2 counts the countries with migration policies that "
        "facilitate such migration and mobility; IOM and the United Nations Department of "
        "Economic and Social Affairs are its custodians, and the MiGOF is its conceptual "
        "framework.\n\n"
        "In 2018, the United Nations General Assembly adopted the Global Compact for Safe, "
        "Orderly and Regular Migration (GCM) and its 23 objectives. The MGI has been adapted to "
        "inform all of them, so that a government can use its results to implement, follow up "
        "and review the GCM. Annex 5 shows which GCM objectives and SDG 10.7.2 sub-categories "
        "the indicators of this profile inform.",
        "id": "Pada tahun 2015, negara-negara anggota IOM menyambut baik Kerangka Tata Kelola "
        "Migrasi (Migration Governance Framework, MiGOF), yang menguraikan dalam tiga prinsip "
        "dan tiga tujuan seperti apa kebijakan migrasi yang dikelola dengan baik. IOM "
        "mengembangkan Indikator Tata Kelola Migrasi bersama Economist Impact untuk menerapkan "
        "MiGOF: sekumpulan indikator yang dikelompokkan dalam enam dimensi, sesuai dengan "
        "prinsip dan tujuan MiGOF, menggambarkan perangkat kebijakan yang dimiliki pemerintah. "
        "Penilaian ini menggunakan %(indicators)s indikator.\n\n"
        "Agenda 2030 untuk Pembangunan Berkelanjutan memasukkan migrasi dalam target 10.7, yang "
        "meminta negara-negara memfasilitasi migrasi dan mobilitas manusia yang tertib, aman, "
        "teratur, dan bertanggung jawab, antara lain melalui penerapan kebijakan migrasi yang "
        "terencana dan dikelola dengan baik. Indikator 10.7.2 menghitung jumlah negara yang "
        "memiliki kebijakan migrasi yang memfasilitasi migrasi dan mobilitas tersebut; IOM dan "
        "Departemen Urusan Ekonomi dan Sosial Perserikatan Bangsa-Bangsa (UN DESA) adalah "
        "lembaga penanggung jawabnya, dan MiGOF menjadi kerangka konseptualnya.\n\n"
        "Pada tahun 2018, Majelis Umum Perserikatan Bangsa-Bangsa mengesahkan Global Compact "
        "for Safe, Orderly and Regular Migration (GCM) beserta 23 tujuannya. MGI telah "
        "disesuaikan agar dapat memberi informasi bagi seluruh tujuan tersebut, sehingga "
        "pemerintah dapat menggunakan hasilnya untuk melaksanakan, memantau, dan meninjau GCM. "
        "Lampiran 5 menunjukkan tujuan GCM dan subkategori TPB 10.7.2 yang berkaitan dengan "
        "indikator dalam profil ini.",
    },
    "context": {
        "en": "This chapter places the assessment in the migration context of %(where)s. The "
        "table gives a few figures, each with its source and the year it refers to; they "
        "describe the setting of the policies assessed and are not part of the MGI itself.",
        "id": "Bab ini menempatkan penilaian dalam konteks migrasi di %(where)s. Tabel berikut "
        "menyajikan sejumlah data, masing-masing dengan sumber dan tahun rujukannya; data "
        "tersebut menggambarkan latar kebijakan yang dinilai dan bukan bagian dari MGI itu "
        "sendiri.",
    },
    "key_findings": {
        "en": "The assessment's findings, dimension by dimension, in brief. The chapters that "
        "follow give the details and their sources.",
        "id": "Temuan penilaian untuk setiap dimensi secara ringkas. Bab-bab berikutnya "
        "menguraikan rinciannya beserta sumbernya.",
    },
    "good": {
        "en": "Well-developed areas include %(areas)s.",
        "id": "Bidang yang sudah berkembang baik antara lain %(areas)s.",
    },
    "no_good": {
        "en": "No well-developed area was identified.",
        "id": "Belum ada bidang yang teridentifikasi sudah berkembang baik.",
    },
    "further": {
        "en": "Areas with potential for further development include %(areas)s.",
        "id": "Bidang yang berpotensi dikembangkan lebih lanjut antara lain %(areas)s.",
    },
    "no_further": {
        "en": "No area with potential for further development was identified.",
        "id": "Tidak ada bidang yang teridentifikasi berpotensi dikembangkan lebih lanjut.",
    },
    "chapter": {
        "en": "The findings below are grouped by sub-area; their sources are given in the "
        "footnotes.",
        "id": "Temuan di bawah ini dikelompokkan per subbidang; sumbernya dicantumkan dalam "
        "catatan kaki.",
    },
    "developments": {
        "en": "This is a follow-up assessment. Annex 3 shows how the answer to each indicator "
        "of this dimension changed since the previous round.",
        "id": "Ini adalah penilaian lanjutan. Lampiran 3 menunjukkan perubahan jawaban setiap "
        "indikator dalam dimensi ini sejak putaran sebelumnya.",
    },
    "annex_migof": {
        "en": "IOM's Council welcomed the Migration Governance Framework (MiGOF) in November "
        "2015 (resolution C/106/RES/1310). It sets out the elements of well-managed migration "
        "in three principles and three objectives. A well-governed migration system adheres to "
        "international standards and fulfils migrants' rights; formulates policy using "
        "evidence and a whole-of-government approach; and engages with partners to address "
        "migration and related issues. It seeks to advance the socioeconomic well-being of "
        "migrants and society; to respond effectively to the mobility dimensions of crises; and "
        "to ensure that migration takes place in a safe, orderly and dignified manner.\n\n"
        "Each of the six MGI dimensions corresponds to one principle or objective:",
        "id": "Dewan IOM menyambut baik Kerangka Tata Kelola Migrasi (MiGOF) pada November 2015 "
        "(resolusi C/106/RES/1310). Kerangka ini menguraikan unsur-unsur migrasi yang dikelola "
        "dengan baik dalam tiga prinsip dan tiga tujuan. Sistem migrasi yang dikelola dengan "
        "baik mematuhi standar internasional dan memenuhi hak-hak migran; merumuskan kebijakan "
        "berdasarkan bukti dan pendekatan seluruh pemerintahan; serta bekerja sama dengan para "
        "mitra untuk menangani migrasi dan isu-isu terkait. Sistem tersebut bertujuan memajukan "
        "kesejahteraan sosial-ekonomi migran dan masyarakat, menangani dimensi mobilitas dalam "
        "krisis secara efektif, serta memastikan migrasi berlangsung secara aman, tertib, dan "
        "bermartabat.\n\n"
        "Setiap dimensi MGI berkaitan dengan satu prinsip atau tujuan:",
    },
    "methodology": {
        "en": "The assessment used %(indicators)s indicators in six dimensions. The %(coordinator)s "
        "coordinated it; each indicator was assigned in a survey matrix to a lead institution "
        "and, where useful, to contributing institutions, which answered it with its evidence "
        "(laws, regulations, policies and documents).",
        "id": "Penilaian ini menggunakan %(indicators)s indikator dalam enam dimensi dan "
        "dikoordinasikan oleh %(coordinator)s. Setiap indikator ditugaskan melalui matriks "
        "survei kepada satu lembaga utama dan, bila diperlukan, lembaga pendukung, yang "
        "menjawabnya beserta buktinya (peraturan perundang-undangan, kebijakan, dan dokumen).",
    },
    "collection": {
        "en": "Data collection ran %(dates)s.",
        "id": "Pengumpulan data berlangsung %(dates)s.",
    },
    "from_to": {"en": "from %(start)s to %(end)s", "id": "dari %(start)s hingga %(end)s"},
    "on_day": {"en": "on %(day)s", "id": "pada %(day)s"},
    "assigned_one": {
        "en": "Indicators were assigned to %(count)s institution.",
        "id": "Indikator ditugaskan kepada %(count)s lembaga.",
    },
    "assigned_many": {
        "en": "Indicators were assigned to %(count)s institutions.",
        "id": "Indikator ditugaskan kepada %(count)s lembaga.",
    },
    "answered": {
        "en": "%(submitted)s of them submitted their answers, and %(accepted)s have at least one "
        "answer accepted in IOM's cross-check.",
        "id": "%(submitted)s di antaranya mengirimkan jawaban, dan %(accepted)s memiliki "
        "sedikitnya satu jawaban yang diterima dalam pemeriksaan silang IOM.",
    },
    "in_place": {"en": " in %(place)s", "id": " di %(place)s"},
    "session_one": {
        "en": "The consolidated answers were validated with the institutions in a session held "
        "%%(dates)s%%(where)s, with %(count)s participant.",
        "id": "Jawaban konsolidasi divalidasi bersama lembaga-lembaga dalam sesi yang "
        "diselenggarakan %%(dates)s%%(where)s, dengan %(count)s peserta.",
    },
    "session_many": {
        "en": "The consolidated answers were validated with the institutions in a session held "
        "%%(dates)s%%(where)s, with %(count)s participants.",
        "id": "Jawaban konsolidasi divalidasi bersama lembaga-lembaga dalam sesi yang "
        "diselenggarakan %%(dates)s%%(where)s, dengan %(count)s peserta.",
    },
    "no_session": {
        "en": "The consolidated answers were approved without a recorded validation session.",
        "id": "Jawaban konsolidasi disetujui tanpa sesi validasi yang tercatat.",
    },
    "frozen": {
        "en": "The validated answers were frozen as dataset no. %(snapshot)s, from which this "
        "profile was drafted. The answers are the government's; the MGI records whether a "
        "policy or framework is in place, partly in place or absent, and does not score it.",
        "id": "Jawaban tervalidasi dibekukan sebagai set data no. %(snapshot)s, yang menjadi "
        "dasar penyusunan profil ini. Jawaban tersebut adalah jawaban pemerintah; MGI mencatat "
        "apakah suatu kebijakan atau kerangka sudah ada, ada sebagian, atau belum ada, dan "
        "tidak memberinya skor.",
    },
}
