"""The pipeline's linear intent and case-type models, trained here on a few
examples through Rasa's own storage (train, persist, load, process)."""
import numpy as np
import pytest
import scipy.sparse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.preprocessing import normalize

from intake_nlu.case_type_classifier import CASE_TYPE_KEY, CaseTypeClassifier
from intake_nlu.linear_intent_classifier import LINEAR_RANKING_KEY, LinearIntentClassifier
from intake_nlu.linear_model import StoredLogisticRegression, StoredNaiveBayes
from intake_nlu.tfidf import TfidfFeatures, message_text, message_words

EXAMPLES = {
    "consult_labor": ["公司拖欠工资三个月", "老板不发工资怎么办", "被公司辞退了没有补偿", "加班费公司不给"],
    "consult_contract": ["借钱不还怎么办", "朋友欠钱不还打了欠条", "房东不退押金", "装修公司拿了钱不干活"],
    "consult_divorce": ["我想离婚孩子归谁", "离婚财产怎么分", "老公出轨要离婚", "彩礼能要回来吗"],
    "greet": ["你好", "您好在吗", "哈喽", "早上好"],
}


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture
def context():
    return ExecutionContext(GraphSchema({}), "test")


@pytest.fixture
def tokenizer(storage, context):
    return JiebaTokenizer.create(JiebaTokenizer.get_default_config(), storage, Resource("tokenizer"), context)


def tokenized(tokenizer, text, intent=None, ranking=None, linear_ranking=None):
    """A tokenized message; ``ranking`` as the intent classifiers before the case-type
    model leave it (the blend), ``linear_ranking`` as the linear intent model's own."""
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    tokenizer.process([message])
    if ranking:
        message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
        message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    if linear_ranking:
        message.set(LINEAR_RANKING_KEY, [{"name": n, "confidence": c} for n, c in linear_ranking])
    return message


@pytest.fixture
def training_data(tokenizer):
    return TrainingData([tokenized(tokenizer, t, intent) for intent, texts in EXAMPLES.items() for t in texts])


def test_tfidf_features_are_the_same_after_saving_and_loading(tmp_path, training_data, tokenizer):
    features = TfidfFeatures(min_df=1).fit(training_data.intent_examples)
    features.save(tmp_path)
    loaded = TfidfFeatures.load(tmp_path)
    probe = [tokenized(tokenizer, "公司欠我工资，老板跑路了"), tokenized(tokenizer, "🙂 zzz")]
    assert (features.transform(probe) != loaded.transform(probe)).nnz == 0
    rows = loaded.transform(probe)
    assert np.isclose(np.sqrt(rows[0].multiply(rows[0]).sum()), 1.0)  # unit length
    assert rows[1].nnz == 0  # nothing seen in training: no features, no crash


@pytest.mark.parametrize("classes", [3, 2])
def test_stored_regression_gives_sklearn_probabilities(tmp_path, classes):
    rng = np.random.default_rng(0)
    features = rng.random((30, 5))
    labels = [str(i % classes) for i in range(30)]
    stored = StoredLogisticRegression.fit(features, labels, regularization=1.0)
    stored.save(tmp_path / "m.npz")
    loaded = StoredLogisticRegression.load(tmp_path / "m.npz")
    reference = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced", solver="newton-cg")
    reference.fit(features, labels)
    assert np.allclose(loaded.probabilities(features), reference.predict_proba(features), atol=1e-6)


def test_newton_cg_finds_the_minimum_the_default_solver_finds():
    """The solver changed for training time (issue 18), not the model: sklearn's default gives the
    same probabilities on a problem of the pipeline's shape (sparse, more features than examples)."""
    rng = np.random.default_rng(1)
    features = normalize(scipy.sparse.random(200, 600, density=0.03, format="csr", random_state=rng))
    labels = [str(i % 4) for i in range(200)]
    stored = StoredLogisticRegression.fit(features, labels, regularization=10.0)
    default = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced", tol=1e-8).fit(features, labels)
    assert np.allclose(stored.probabilities(features), default.predict_proba(features), atol=1e-3)


@pytest.mark.parametrize("classes", [4, 2])
def test_stored_naive_bayes_gives_sklearn_probabilities(tmp_path, classes):
    rng = np.random.default_rng(0)
    features = scipy.sparse.random(40, 30, density=0.2, format="csr", random_state=rng)
    labels = [str(i % classes) for i in range(40)]
    stored = StoredNaiveBayes.fit(features, labels, smoothing=0.01)
    stored.save(tmp_path / "nb.npz")
    loaded = StoredNaiveBayes.load(tmp_path / "nb.npz")
    reference = ComplementNB(alpha=0.01).fit(features, labels)
    assert loaded.classes == list(reference.classes_)
    assert np.allclose(loaded.probabilities(features), reference.predict_proba(features), atol=1e-12)


CHARACTERS = st.sampled_from([*"公司欠我工资老板跑路了离婚孩子借钱不还合同违约加班费", "abc", "3", "🙂", "，", " "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(CHARACTERS, max_size=30).map("".join), min_size=1, max_size=4))
def test_tfidf_rows_are_the_textbook_weighting(training_data, tokenizer, texts):
    """Each count times its idf in place (issue 18) gives what `counts @ diags(idf)` gave: the same
    products; the product left the columns in another order, so a row's norm may differ in the
    last bit (a sum in another order), never more."""
    features = TfidfFeatures(min_df=1).fit(training_data.intent_examples)
    messages = [tokenized(tokenizer, text) for text in texts]
    blocks = []
    documents_by_block = {"words": [message_words(m) for m in messages], "chars": [message_text(m) for m in messages]}
    for name, documents in documents_by_block.items():
        counts = features._vectorizers()[name].transform(documents).astype(np.float64)
        counts.data = 1.0 + np.log(counts.data)
        blocks.append(normalize(counts @ scipy.sparse.diags(features._idf[name])))
    textbook = normalize(scipy.sparse.hstack(blocks).tocsr())
    assert np.allclose(features.transform(messages).toarray(), textbook.toarray(), rtol=1e-12, atol=0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), density=st.floats(0.0, 1.0))
def test_stored_regression_scores_sparse_rows_as_the_transposed_weights_did(seed, density):
    """The weights laid out once for the product (issue 18) give the same bits as `features @ coef.T`."""
    rng = np.random.default_rng(seed)
    coef, intercept = rng.normal(size=(5, 40)), rng.normal(size=5)
    stored = StoredLogisticRegression(coef, intercept, np.array(list("abcde")))
    features = scipy.sparse.random(3, 40, density=density, format="csr", random_state=rng)
    scores = np.asarray(features @ coef.T) + intercept
    scores = scores - scores.max(axis=1, keepdims=True)
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    assert np.array_equal(stored.probabilities(features), expected)


def train_intents(storage, context, training_data, **config):
    resource = Resource("intents")
    component = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), "min_df": 1, **config}, storage, resource, context
    )
    component.train(training_data)
    return LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "min_df": 1, **config}, storage, resource, context
    )


def test_the_blend_ranks_every_intent_and_sums_to_one(storage, context, training_data, tokenizer):
    classifier = train_intents(storage, context, training_data)
    message = tokenized(tokenizer, "老板欠工资不发")
    classifier.process([message])
    assert message.get(INTENT)["name"] == "consult_labor"
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking][0] == "consult_labor"
    assert len(ranking) == len(EXAMPLES)
    assert np.isclose(sum(r["confidence"] for r in ranking), 1.0)


def confidences(message) -> dict[str, float]:
    return {r["name"]: r["confidence"] for r in message.get(INTENT_RANKING_KEY)}


@pytest.mark.parametrize("text", ["老板欠工资不发", "房东押金不退", "你好在吗"])
def test_naive_bayes_weight_sets_how_much_each_model_counts(storage, context, training_data, tokenizer, text):
    """Weight 0: the regression's probabilities; 1: naive Bayes'; between: the weighted sum."""
    blends = {}
    for weight in (0.0, 0.2, 1.0):
        message = tokenized(tokenizer, text)
        train_intents(storage, context, training_data, naive_bayes_weight=weight).process([message])
        blends[weight] = confidences(message)
    regression, bayes = blends[0.0], blends[1.0]
    assert regression != pytest.approx(bayes)  # two different models
    assert blends[0.2] == pytest.approx({name: 0.8 * regression[name] + 0.2 * bayes[name] for name in regression})


def test_the_linear_ranking_before_the_blend_stays_on_the_message(storage, context, training_data, tokenizer):
    only_bayes = train_intents(storage, context, training_data, naive_bayes_weight=1.0)
    regression = train_intents(storage, context, training_data, naive_bayes_weight=0.0)
    blended, plain = tokenized(tokenizer, "老板欠工资不发"), tokenized(tokenizer, "老板欠工资不发")
    only_bayes.process([blended])
    regression.process([plain])
    assert blended.get(LINEAR_RANKING_KEY) == plain.get(INTENT_RANKING_KEY)
    assert blended.get(INTENT_RANKING_KEY) != plain.get(INTENT_RANKING_KEY)
    # a property for later components, not part of what the parse returns
    assert LINEAR_RANKING_KEY not in blended.as_dict(only_output_properties=True)


@pytest.mark.parametrize("text", ["   ", "🙂🙂", "ßø"])
def test_a_message_with_nothing_seen_in_training_gets_no_intent_and_the_fallback(
    storage, context, training_data, tokenizer, text
):
    classifier = train_intents(storage, context, training_data)
    message = tokenized(tokenizer, text)
    classifier.process([message])
    assert message.get(INTENT) == {"name": None, "confidence": 0.0}
    assert message.get(INTENT_RANKING_KEY) == []
    fallback = FallbackClassifier.create(
        {**FallbackClassifier.get_default_config(), "threshold": 0.2}, storage, Resource("fallback"), context
    )
    fallback.process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_training_twice_gives_the_same_model_to_the_bit(tmp_path, context, training_data, tokenizer):
    """No seed, no threads: the same data, the same arrays (DIET's figures moved between trainings)."""
    trained = []
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        classifier = train_intents(LocalModelStorage(tmp_path / run), context, training_data)
        trained.append((classifier._model, classifier._naive_bayes))
    for first, second in zip(*trained, strict=True):
        assert np.array_equal(first.coef, second.coef) and np.array_equal(first.intercept, second.intercept)
        assert first.classes == second.classes


def train_case_types(storage, context, training_data, **config):
    resource = Resource("case_types")
    full = {**CaseTypeClassifier.get_default_config(), "min_df": 1, "no_case_intents": ["greet"], **config}
    CaseTypeClassifier.create(full, storage, resource, context).train(training_data)
    return CaseTypeClassifier.load(full, storage, resource, context)


def test_a_case_intent_always_gets_a_case_type_both_models_weigh(storage, context, training_data, tokenizer):
    classifier = train_case_types(storage, context, training_data)
    # The intent model is unsure between contract and labor; the text is about wages.
    message = tokenized(tokenizer, "老板欠工资不发", ranking=[("consult_contract", 0.45), ("consult_labor", 0.4)])
    classifier.process([message])
    assert message.get(CASE_TYPE_KEY)["name"] == "labor"
    # A confident intent outweighs the second model.
    message = tokenized(tokenizer, "老板欠工资不发", ranking=[("consult_contract", 0.99), ("consult_labor", 0.01)])
    classifier.process([message])
    assert message.get(CASE_TYPE_KEY)["name"] == "contract"


def test_the_case_type_follows_the_linear_intent_model_not_the_blend(storage, context, training_data, tokenizer):
    classifier = train_case_types(storage, context, training_data)
    # The second opinion pulled the blended ranking to contract; the linear model said labor.
    message = tokenized(tokenizer, "老板欠工资不发", ranking=[("consult_contract", 0.99), ("consult_labor", 0.01)],
                        linear_ranking=[("consult_labor", 0.99), ("consult_contract", 0.01)])
    classifier.process([message])
    assert message.get(CASE_TYPE_KEY)["name"] == "labor"


def test_a_case_intent_of_the_blend_alone_still_gets_a_case_type(storage, context, training_data, tokenizer):
    classifier = train_case_types(storage, context, training_data)
    # The linear model put a greeting first; the blend (what the dialogue acts on) a case.
    message = tokenized(tokenizer, "你好", ranking=[("consult_divorce", 0.6), ("greet", 0.4)],
                        linear_ranking=[("greet", 0.6), ("consult_divorce", 0.4)])
    classifier.process([message])
    assert message.get(CASE_TYPE_KEY)["name"] == "divorce"


def test_other_intents_get_a_case_type_when_the_text_shows_one(storage, context, training_data, tokenizer):
    classifier = train_case_types(storage, context, training_data)
    about_wages = tokenized(tokenizer, "公司拖欠工资三个月，老板不发工资", ranking=[("request_lawyer", 1.0)])
    greeting = tokenized(tokenizer, "你好", ranking=[("greet", 1.0)])
    classifier.process([about_wages, greeting])
    assert about_wages.get(CASE_TYPE_KEY)["name"] == "labor"
    assert greeting.get(CASE_TYPE_KEY)["name"] is None


@pytest.mark.parametrize(
    "probabilities, expected",
    [
        # "none" leads but stays below 0.7, and labor clearly leads the case types:
        # a narrative whose dates and times the case examples rarely have.
        ({"none": 0.55, "labor": 0.30, "contract": 0.10, "divorce": 0.05}, "labor"),
        # the model is fairly sure there is no case at all
        ({"none": 0.75, "labor": 0.20, "contract": 0.03, "divorce": 0.02}, None),
        # a case, but no case type holds half of the case types' probability
        ({"none": 0.10, "labor": 0.35, "contract": 0.30, "divorce": 0.25}, None),
    ],
)
def test_outside_a_case_intent_the_case_type_needs_a_case_and_a_clear_leader(
    storage, context, training_data, tokenizer, probabilities, expected
):
    classifier = train_case_types(storage, context, training_data)
    message = tokenized(tokenizer, "我想问问", ranking=[("ask_general_info", 1.0)])
    vector = np.array([probabilities[name] for name in classifier._model.classes])
    assert classifier._predict(message, vector)["name"] == expected
