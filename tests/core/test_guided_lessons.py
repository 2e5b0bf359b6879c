"""Every built-in guided lesson, walked by a scripted student over 10 seeds: each
task fails on a wrong try and passes on the right action, and every number a
step states holds (see tests/guided_students.py for what the student does)."""

from __future__ import annotations

import pytest

from aeviz.core.guide import apply_action, render
from aeviz.core.lesson import Lesson
from aeviz.core.presets import load_preset, preset_paths
from tests.guided_students import SCRIPTS, CoreActor

SEEDS = range(10)
FIXED = {"article-example", "forward-pass"}          # its weights are the lesson: no reseeding
GUIDED = [name for name in preset_paths() if load_preset(name).guide]


def seeded(name: str, seed: int) -> Lesson:
    m = load_preset(name)
    if name not in FIXED:
        m.training = m.training.with_(seed=seed)
        m.network = m.network.fresh(seed)
    return Lesson(m)


def test_eleven_presets_are_guided_and_each_task_has_a_script():
    assert len(GUIDED) == 11
    assert sorted(GUIDED) == sorted(SCRIPTS)
    for name in GUIDED:
        with_task = {i for i, s in enumerate(load_preset(name).guide) if s.task is not None}
        assert with_task == set(SCRIPTS[name]), name


@pytest.mark.parametrize("name", GUIDED)
def test_a_scripted_student_completes_the_lesson_wrong_tries_never_pass(name):
    seeds = [0] if name in FIXED else SEEDS
    for seed in seeds:
        lesson = seeded(name, seed)
        actor = CoreActor(lesson)
        for i, step in enumerate(lesson.model.guide):
            for action in step.actions:
                apply_action(action, lesson)
            render(step.text, lesson)                       # every placeholder fills in
            if step.task is None:
                continue
            wrong, right = SCRIPTS[name][i]
            actor.answer = None
            wrong(actor)
            assert not step.task.check(lesson, actor.answer).done, (name, seed, i, "wrong")
            right(actor)
            result = step.task.check(lesson, actor.answer)
            assert result.done, (name, seed, i, result.hint)


def test_stuck_lesson_no_seed_reconstructs_all_five_at_epoch_300():
    guide = load_preset("stuck-5-2-5").guide
    assert "At epoch 300 no seed of 10 has all 5 reconstructed" in guide[1].text
    for seed in SEEDS:
        lesson = seeded("stuck-5-2-5", seed)
        for action in guide[1].actions:
            apply_action(action, lesson)
        assert lesson.epoch == 300 and not lesson.evaluation().reconstructed.all()


def test_the_forward_pass_numbers_are_the_networks():
    import numpy as np
    guide = load_preset("forward-pass").guide
    assert "tanh(1) = 0.762" in guide[1].text
    assert "2 · tanh(1) = 1.523" in guide[2].text and "−1.523" in guide[2].text
    lesson = seeded("forward-pass", 0)
    zs, acts = lesson.forward()
    np.testing.assert_allclose(acts[1][0], np.tanh(1.0))
    assert f"{np.tanh(1.0):.3f}" == "0.762" and f"{2 * np.tanh(1.0):.3f}" == "1.523"
    np.testing.assert_allclose(zs[2][0][:4], [2 * np.tanh(1.0), 0, 0, -2 * np.tanh(1.0)])
    assert load_preset("forward-pass").network.sizes == load_preset("article-example").network.sizes
    np.testing.assert_array_equal(load_preset("forward-pass").network.params,
                                  load_preset("article-example").network.params)


def test_the_mistakes_guide_counts_the_codes_the_table_shows():
    guide = load_preset("article-example").guide
    lesson = seeded("article-example", 0)
    assert "shows 4 different codes for 5 patterns" in render(guide[1].text, lesson)


def test_sparse_guide_falls_about_four_times_over_ten_seeds():
    guide = load_preset("overcomplete-sparse").guide
    assert "falls about 4 times" in guide[2].task.reveal
    from aeviz.core.guide_tasks import mean_activity
    for seed in SEEDS:
        lesson = seeded("overcomplete-sparse", seed)
        for action in guide[1].actions:
            apply_action(action, lesson)
        plain = mean_activity(lesson)
        actor = CoreActor(lesson)
        SCRIPTS["overcomplete-sparse"][2][1](actor)
        assert 3.6 <= plain / mean_activity(lesson) <= 4.7
        assert lesson.evaluation().reconstructed.all()


SAME_CLAIMS = {                       # phrases tests/core/test_lessons.py checks over 10 seeds
    "overcomplete-5-8-5": ["at least 2 of the 8", "800 epochs"],
    "denoising-bars": ["about 94 %", "78 to 85 %"],
    "linear-pca": ["within 0.2° after 300 epochs"],
}


@pytest.mark.parametrize("name", list(SAME_CLAIMS))
def test_a_guides_fixed_numbers_are_its_lessons_tested_claims(name):
    m = load_preset(name)
    said = " ".join(s.text for s in m.guide)
    for phrase in SAME_CLAIMS[name]:
        assert phrase in said and phrase in m.description, phrase
