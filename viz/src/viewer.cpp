// The interactive viewer: the scene of scene.cpp in a window, with key bindings, a clip-box
// widget and a down-sampled volume while the camera moves.
#include <vtkBoxRepresentation.h>
#include <vtkBoxWidget2.h>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPlanes.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkTextProperty.h>

#include <chrono>

#include "orevox/core/error.hpp"
#include "orevox/viz/scene.hpp"
#include "figure_png.hpp"
#include "scene_builder.hpp"

namespace orevox {

std::string viewerKeyHelp() {
  return "1 2 3   toggle isosurfaces A B C\n"
         "v       toggle volume rendering\n"
         "x/X y/Y z/Z   move slices (-/+)\n"
         "c       clip box on/off (drag its handles)\n"
         "i t     camera: iso, top\n"
         "n s e w camera: look from N S E W\n"
         "r       reset camera   h  help on/off\n"
         "q       quit";
}

namespace {

struct ViewerState {
  vizdetail::BuiltScene* scene = nullptr;
  vtkBoxWidget2* box = nullptr;
  CameraPreset camera = CameraPreset::Iso;
  bool clipping = false;
};

/// Trackball camera whose key presses are the viewer's (VTK's defaults such as 'w'
/// wireframe, '3' stereo or 'e' exit are replaced).
class ViewerStyle : public vtkInteractorStyleTrackballCamera {
 public:
  static ViewerStyle* New();
  vtkTypeMacro(ViewerStyle, vtkInteractorStyleTrackballCamera);
  ViewerState* state = nullptr;

  void OnChar() override {
    auto* rwi = this->Interactor;
    const char key = rwi->GetKeyCode();
    auto& s = *state->scene;
    auto moveSlice = [&](int axis, int step) {
      int idx = s.sliceIndex[std::size_t(axis)];
      if (idx < 0) idx = s.dims[std::size_t(axis)] / 2 - step;
      s.setSlice(axis, idx + step * std::max(1, s.dims[std::size_t(axis)] / 32));
    };
    switch (key) {
      case '1':
      case '2':
      case '3': {
        const std::size_t i = std::size_t(key - '1');
        if (i < s.isoActors.size()) s.isoActors[i]->SetVisibility(!s.isoActors[i]->GetVisibility());
        break;
      }
      case 'v':
        if (s.volume) s.volume->SetVisibility(!s.volume->GetVisibility());
        break;
      case 'x':
        moveSlice(0, -1);
        break;
      case 'X':
        moveSlice(0, 1);
        break;
      case 'y':
        moveSlice(1, -1);
        break;
      case 'Y':
        moveSlice(1, 1);
        break;
      case 'z':
        moveSlice(2, -1);
        break;
      case 'Z':
        moveSlice(2, 1);
        break;
      case 'c':
        toggleClip();
        break;
      case 'i':
        setCamera(CameraPreset::Iso);
        break;
      case 't':
        setCamera(CameraPreset::Top);
        break;
      case 'n':
        setCamera(CameraPreset::North);
        break;
      case 's':
        setCamera(CameraPreset::South);
        break;
      case 'e':
        setCamera(CameraPreset::East);
        break;
      case 'w':
        setCamera(CameraPreset::West);
        break;
      case 'r':
        setCamera(state->camera);
        break;
      case 'h':
        if (s.help) s.help->SetVisibility(!s.help->GetVisibility());
        break;
      case 'q':
        rwi->TerminateApp();
        return;
      default:
        return;
    }
    rwi->Render();
  }

 private:
  void setCamera(CameraPreset p) {
    state->camera = p;
    state->scene->setCamera(p);
  }
  void toggleClip() {
    state->clipping = !state->clipping;
    state->box->SetEnabled(state->clipping);
    if (state->clipping) {
      applyBox(state);
    } else {
      state->scene->setClipPlanes(nullptr);
    }
  }

 public:
  static void applyBox(ViewerState* st) {
    vtkNew<vtkPlanes> planes;
    static_cast<vtkBoxRepresentation*>(st->box->GetRepresentation())->GetPlanes(planes);
    st->scene->setClipPlanes(planes);
  }
};
vtkStandardNewMacro(ViewerStyle);

}  // namespace

ViewerStats runViewer(const SceneData& data, const ViewerOptions& options) {
  if (options.interactiveShrink < 1 || options.interactiveShrink > 16)
    throw UsageError("viewer: interactive down-sampling must be 1..16, got " +
                     std::to_string(options.interactiveShrink));
  if (options.orbitFrames < 0) throw UsageError("--script: frame count must be >= 0");
  vizdetail::requireDisplay("viewer");
  vizdetail::BuiltScene scene =
      vizdetail::buildScene(data, options.scene, options.interactiveShrink);
  ViewerStats stats;
  stats.scene = scene.summary;

  scene.help = vtkSmartPointer<vtkTextActor>::New();
  scene.help->SetInput(viewerKeyHelp().c_str());
  scene.help->GetTextProperty()->SetFontSize(13);
  scene.help->GetTextProperty()->SetColor(0.1, 0.1, 0.1);
  scene.help->GetTextProperty()->SetFontFamilyToCourier();
  scene.help->GetTextProperty()->SetVerticalJustificationToTop();
  scene.help->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  scene.help->GetPositionCoordinate()->SetValue(0.01, 0.94);
  scene.renderer->AddActor2D(scene.help);

  vtkNew<vtkRenderWindow> window;
  window->SetSize(options.scene.width, options.scene.height);
  window->SetMultiSamples(0);
  window->SetAlphaBitPlanes(1);
  window->SetWindowName("orevox view");
  window->AddRenderer(scene.renderer);
  if (scene.overlay) window->AddRenderer(scene.overlay);
  vtkNew<vtkRenderWindowInteractor> interactor;
  interactor->SetRenderWindow(window);
  ViewerState state;
  state.scene = &scene;
  state.camera = options.scene.camera;
  vtkNew<ViewerStyle> style;
  style->state = &state;
  interactor->SetInteractorStyle(style);

  // Clip box widget on the scene bounds.
  vtkNew<vtkBoxRepresentation> rep;
  rep->SetPlaceFactor(1.0);
  rep->PlaceWidget(scene.localBounds.data());
  rep->GetOutlineProperty()->SetColor(0.2, 0.2, 0.2);
  vtkNew<vtkBoxWidget2> box;
  box->SetInteractor(interactor);
  box->SetRepresentation(rep);
  box->RotationEnabledOff();
  state.box = box;
  vtkNew<vtkCallbackCommand> onBox;
  onBox->SetClientData(&state);
  onBox->SetCallback([](vtkObject*, unsigned long, void* client, void*) {
    ViewerStyle::applyBox(static_cast<ViewerState*>(client));
  });
  box->AddObserver(vtkCommand::InteractionEvent, onBox);

  // LOD: the coarse volume without depth peeling while the camera moves, full resolution
  // with depth-peeled translucency when it stops.
  vtkNew<vtkCallbackCommand> onStart, onEnd;
  onStart->SetClientData(&scene);
  onStart->SetCallback([](vtkObject*, unsigned long, void* client, void*) {
    auto* s = static_cast<vizdetail::BuiltScene*>(client);
    if (s->volume && s->coarseLod >= 0) s->volume->SetSelectedLODID(s->coarseLod);
    s->renderer->SetUseDepthPeeling(0);  // translucent surfaces approximate while moving
  });
  onEnd->SetClientData(&scene);
  onEnd->SetCallback([](vtkObject*, unsigned long, void* client, void*) {
    auto* s = static_cast<vizdetail::BuiltScene*>(client);
    if (s->volume) s->volume->SetSelectedLODID(s->fullLod);
    s->renderer->SetUseDepthPeeling(1);
  });
  interactor->AddObserver(vtkCommand::StartInteractionEvent, onStart);
  interactor->AddObserver(vtkCommand::EndInteractionEvent, onEnd);

  interactor->Initialize();
  window->Render();
  if (options.orbitFrames == 0) {
    interactor->Start();
    return stats;
  }
  // Scripted orbit: the same events a mouse drag sends, then one still frame.
  using Clock = std::chrono::steady_clock;
  interactor->InvokeEvent(vtkCommand::StartInteractionEvent);
  window->Render();  // first coarse frame uploads the coarse volume; not timed
  const auto t0 = Clock::now();
  for (int f = 0; f < options.orbitFrames; ++f) {
    scene.renderer->GetActiveCamera()->Azimuth(360.0 / options.orbitFrames);
    scene.renderer->ResetCameraClippingRange();
    window->Render();
  }
  window->WaitForCompletion();
  stats.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  stats.frames = options.orbitFrames;
  stats.fps = stats.seconds > 0 ? stats.frames / stats.seconds : 0.0;
  interactor->InvokeEvent(vtkCommand::EndInteractionEvent);
  const auto t1 = Clock::now();
  window->Render();
  window->WaitForCompletion();
  stats.stillSeconds = std::chrono::duration<double>(Clock::now() - t1).count();
  window->Finalize();
  return stats;
}

}  // namespace orevox
