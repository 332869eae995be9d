"""complaints.masking.mask_personal_data: what looks like a phone number, an e-mail address or
a NIK is hidden in every public text; dates, times, RT/RW and short numbers are not."""

import pytest

from complaints.masking import MASK, mask_personal_data

PHONES = [
    "081234567890",
    "08123456789",
    "6281234567890",
    "+6281234567890",
    "+62 812-3456-7890",
    "62 812 3456 7890",
    "+62 (812) 3456 7890",
    "0812-3456-7890",
    "0812 3456 7890",
    "0812.3456.7890",
    "0812 3456 789",
    "(0291) 431234",
    "(0291)431234",
    "0291-431234",
    "0291 431234",
    "0291 43 12 34",
    "+62 291 431234",
    "021 5551234",
    "+62 21 5551234",
]
EMAILS = [
    "siti@example.test",
    "budi.santoso+lapor@mail.kuduskab.go.id",
    "SITI.AMINAH@EXAMPLE.TEST",
    "warga_kudus-01@contoh.id",
]
NIKS = [
    "3319054101900001",
    "3319.0541.0190.0001",
    "3319 0541 0190 0001",
    "3319-0541-0190-0001",
    "331905.410190.0001",
]
# What a public text often contains and must keep: dates, times, RT/RW, house numbers,
# money, distances, years, tracking numbers.
KEPT = [
    "12-05-2024",
    "01-02-2023",
    "01.02.2023",
    "08 12 2023",
    "05/06/2024",
    "2024-05-12",
    "1 Mei 2024",
    "tanggal 31-12-2025",
    "jam 08.00-16.00 WIB",
    "pukul 07.30 - 15.00",
    "pukul 09.30",
    "RT 03/RW 05",
    "RT 003 RW 005",
    "RT.003/RW.005",
    "RT 03 RW 02",
    "No. 15",
    "Jl. Sunan Muria No. 12",
    "Rp 1.500.000",
    "Rp 500.000",
    "0,5 km",
    "km 12",
    "tahun 2024",
    "2020-2024",
    "kode pos 59321",
    "KDS-4F7K-9M2Q",
    "08123",
    "3 hari kerja",
]


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_number_is_masked_in_any_common_form(phone):
    masked = mask_personal_data(f"Hubungi saya di {phone} ya, terima kasih.")
    assert MASK in masked
    assert digits(masked) == ""
    assert masked.startswith("Hubungi saya di ")
    assert masked.endswith(" ya, terima kasih.")


@pytest.mark.parametrize("email", EMAILS)
def test_an_e_mail_address_is_masked(email):
    masked = mask_personal_data(f"Kirim ke {email}, segera.")
    assert masked == f"Kirim ke {MASK}, segera."


@pytest.mark.parametrize("nik", NIKS)
def test_a_nik_is_masked_with_or_without_separators(nik):
    masked = mask_personal_data(f"NIK saya {nik}.")
    assert masked == f"NIK saya {MASK}."


@pytest.mark.parametrize("text", KEPT)
def test_dates_times_rt_rw_and_short_numbers_are_not_masked(text):
    sentence = f"Kejadian {text} di depan balai desa."
    assert mask_personal_data(sentence) == sentence


def test_every_personal_number_in_a_text_is_masked_and_the_rest_kept():
    text = (
        "Pada 01-02-2023 jam 08.00-16.00 di RT 03/RW 05 No. 15, hubungi 0812-3456-7890 "
        "atau (0291) 431234, e-mail siti@example.test, NIK 3319054101900001."
    )
    masked = mask_personal_data(text)
    assert masked.count(MASK) == 4
    for kept in ("01-02-2023", "08.00-16.00", "RT 03/RW 05", "No. 15"):
        assert kept in masked
    for hidden in ("3456", "431234", "siti@", "3319054101900001"):
        assert hidden not in masked


@pytest.mark.parametrize(
    "text", ["tanggal 01-02-2023 081234567890", "01.02.2023 08.00 hubungi 0812 3456 7890"]
)
def test_a_date_right_before_a_phone_number_does_not_shield_it(text):
    # Part of the date may be masked with the number (too much is safe); no digit of the
    # phone number may remain.
    masked = mask_personal_data(text)
    assert MASK in masked
    assert "3456" not in masked
    assert "7890" not in masked


def test_empty_text_stays_empty():
    assert mask_personal_data("") == ""
    assert mask_personal_data(None) is None
