// What a user writes: the package's public API, default Vite config, the model copied into public/ as the README says.
import { createClassifier, trainHead } from 'inpage-classifier';
import { defineInpageClassifier } from 'inpage-classifier/widget';

defineInpageClassifier();

const out = document.querySelector('#out');
try {
  const clf = await createClassifier();
  const texts = ['I loved it', 'Works perfectly', 'Great value', 'It broke at once', 'Terrible support', 'Waste of money'];
  const [result] = await clf.classify(['The battery died after two days.']);
  const emb = await clf.embed(texts);
  const labels = texts.map((_, i) => [i < 3 ? 'good' : 'bad']);
  const trained = await trainHead({ ...emb, labels }, { modelId: clf.info.modelId, epochs: 5, validationSplit: 0 });
  out.textContent = JSON.stringify({ info: clf.info, result, head: trained.head.concepts });
  document.body.dataset.state = 'done';
} catch (err) {
  out.textContent = String(err?.stack ?? err);
  document.body.dataset.state = 'error';
}
