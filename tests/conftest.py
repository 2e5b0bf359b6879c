"""Shared test set-up: Qt runs offscreen; nothing here imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def main_py():
    """main.py loaded as a module (its set-up decisions tested with calls replaced)."""
    spec = importlib.util.spec_from_file_location("aeviz_main_py", ROOT / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def child_env():
    """``child_env(data_dir, autosave_seconds)``: the environment of a child aeviz
    process: offscreen, this checkout's aeviz, its data and settings in ``data_dir``."""
    import os

    def make(data_dir: Path, autosave_seconds: float = 0.3) -> dict:
        return dict(os.environ, QT_QPA_PLATFORM="offscreen", AEVIZ_DATA_DIR=str(data_dir),
                    AEVIZ_AUTOSAVE_SECONDS=str(autosave_seconds), PYTHONPATH=str(ROOT),
                    XDG_CONFIG_HOME=str(data_dir / "config"))     # not the user's settings
    return make


# Tests that took over 10 s in a whole-suite run on the project's shared 2-core
# machine (two pytest-xdist workers, load average ~10), each with why it is heavy.
# `-m "not slow"` skips them; a new test over 10 s there belongs here, or gets faster.
# Keys are node-id prefixes (a parametrized test's "file::name[param" marks one case).
SLOW = {
    "tests/core/test_digits_lessons.py::test_the_digits_lessons_claims_hold_over_10_seeds":
        "20 runs of 300 epochs on 1,797 digits (15-200 s)",
    "tests/core/test_batched.py::test_groups_keep_memory_bounded_for_ten_thousand_seeds":
        "a study of 10,000 seeds (86 s)",
    "tests/core/test_fuzz_files.py::test_mutated_files_load_or_are_refused":
        "2,000 mutated files through the loader, in 4 parts (33-51 s each)",
    "tests/core/test_torch_oracle.py::test_training_matches_pytorch[adam":
        "PyTorch imported and run as the oracle (42 s)",
    "tests/core/test_packaging.py::test_building_the_wheel":
        "pip builds the wheel from a copy of the project (37 s)",
    "tests/core/test_generate_lessons.py::test_a_vae_keeps_codes_at_the_prior":
        "trains a VAE on the digits, 10 seeds (23 s)",
    "tests/core/test_generate_lessons.py::test_a_plain_autoencoders_codes_leave_the_prior":
        "trains on the digits, 10 seeds (15 s)",
    "tests/core/test_generate_lessons.py::test_a_large_beta_collapses":
        "trains a VAE on the digits (11 s)",
    "tests/core/test_guided_lessons.py::test_a_scripted_student_completes_the_lesson_wrong_tries_never_pass[digits-8x8":
        "a scripted student trains the digits, 3 seeds (over the 120 s timeout at load 10)",
    "tests/core/test_guided_lessons.py::test_a_scripted_student_completes_the_lesson_wrong_tries_never_pass[overcomplete-sparse]":
        "a scripted student, 10 seeds (16 s)",
    "tests/core/test_study.py::test_stuck_5_2_5_flickers_are_never_solved":
        "a seed study to its end (15 s)",
    "tests/core/test_cli.py::test_train_seed_redraws_the_initial_weights":
        "several `aeviz train` child processes (16 s)",
    "tests/core/test_labels.py::test_train_json_prints_labels_in_code_order":
        "`aeviz train` and `aeviz sample` child processes (13 s)",
    "tests/core/test_generate_cli.py::test_eval_and_train_report_mu_sigma":
        "`aeviz` child processes on the digits (11 s)",
    "tests/core/test_generate_cli.py::test_sample_decodes_codes_from_the_prior":
        "`aeviz` child processes on the digits (11 s)",
    "tests/gui/test_generate.py::test_vae_controls_and_sampling_while_training_runs":
        "trains the digits VAE in the window (102 s)",
    "tests/gui/test_generate.py::test_decoding_follows_training_while_it_runs":
        "trains the digits in the window (16 s)",
    "tests/gui/test_guided_lessons.py::test_a_scripted_student_completes_the_guided_lesson[digits-8x8":
        "a scripted student trains the digits in the window (32-63 s)",
    "tests/gui/test_big_network.py::":
        "1024-1024-1024 networks: 2 million weights drawn, edited and computed (11-37 s)",
    "tests/gui/test_reliability.py::test_fifty_open_train_close_cycles":
        "50 windows opened, trained and closed (36 s)",
    "tests/gui/test_random_session.py::test_random_walk":
        "300 random actions, many while training (21-27 s)",
    "tests/gui/test_monkey.py::test_monkey_walk":
        "a child process walks every lesson (10-19 s each)",
    "tests/gui/test_crash_free.py::test_structure_edits_and_undo_with_the_weights_tab_in_front":
        "a child process per lesson (12-18 s)",
    "tests/gui/test_crash_free.py::test_one_window_through_every_size_normal_and_presenter":
        "a child process resizes a window through every size (up to 17 s)",
    "tests/gui/test_crash_free.py::test_aeviz_screenshot_at_every_size_normal_and_presenter":
        "`aeviz screenshot` child processes at every size (up to 11 s)",
    "tests/gui/test_guide_hardened.py::test_leaving_the_step_stops_its_training":
        "a guided step's training run (15 s)",
    "tests/gui/test_guide_hardened.py::test_a_train_action_runs_on_the_training_thread":
        "a guided step's training run (12 s)",
    "tests/gui/test_one_owner.py::test_no_import_cycles_and_no_private_names_across_modules":
        "parses every module of aeviz (11 s)",
    "tests/gui/test_main_window.py::test_the_patterns_table_third_column_follows_the_rule":
        "trains until patterns are reconstructed (10 s)",
    "tests/gui/test_screenshot.py::test_screenshot_code_view_pictures_grabs_the_decoded_manifold":
        "an `aeviz screenshot` child process on the digits (11 s)",
}
# (the heaviest may pass the default 120 s timeout on a loaded machine)
SLOW_TIMEOUT = {
    "tests/core/test_guided_lessons.py::test_a_scripted_student_completes_the_lesson_wrong_tries_never_pass[digits-8x8": 600,
    "tests/gui/test_guided_lessons.py::test_a_scripted_student_completes_the_guided_lesson[digits-8x8": 600,
    "tests/gui/test_generate.py::test_vae_controls_and_sampling_while_training_runs": 600,
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        reason = next((why for key, why in SLOW.items() if item.nodeid.startswith(key)), None)
        if reason is not None:
            item.add_marker(pytest.mark.slow(reason=reason))
        seconds = next((s for key, s in SLOW_TIMEOUT.items() if item.nodeid.startswith(key)), None)
        if seconds is not None and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(seconds))
